using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class Minutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "minutes",
                schema: "committee",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    texts = table.Column<string>(type: "text", nullable: false),
                    comments = table.Column<string>(type: "text", nullable: false),
                    agreed_by = table.Column<string>(type: "text", nullable: false),
                    signatures = table.Column<string>(type: "text", nullable: false),
                    record = table.Column<byte[]>(type: "bytea", nullable: true),
                    release_agreed_by = table.Column<string>(type: "text", nullable: false),
                    review_ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    content_version = table.Column<int>(type: "integer", nullable: false),
                    correction_of = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_minutes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_minutes_correction_of",
                schema: "committee",
                table: "minutes",
                column: "correction_of");

            migrationBuilder.CreateIndex(
                name: "ix_minutes_meeting_id",
                schema: "committee",
                table: "minutes",
                column: "meeting_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "minutes",
                schema: "committee");
        }
    }
}
