using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class EscalationStops : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "escalations",
                schema: "notifications",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stopped_version = table.Column<int>(type: "integer", nullable: true),
                    stop_reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    stopped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    acting_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    visibility = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escalations", x => x.incident_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "escalations",
                schema: "notifications");
        }
    }
}
