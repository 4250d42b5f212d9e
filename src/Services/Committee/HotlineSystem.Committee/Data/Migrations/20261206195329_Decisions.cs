using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class Decisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "decisions",
                schema: "committee",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    committee_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    agenda_items = table.Column<string>(type: "text", nullable: false),
                    approvals = table.Column<string>(type: "text", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_decisions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_decisions_committee_id_year_sequence",
                schema: "committee",
                table: "decisions",
                columns: new[] { "committee_id", "year", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_decisions_meeting_id",
                schema: "committee",
                table: "decisions",
                column: "meeting_id");

            migrationBuilder.CreateIndex(
                name: "ix_decisions_request_id",
                schema: "committee",
                table: "decisions",
                column: "request_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "decisions",
                schema: "committee");
        }
    }
}
