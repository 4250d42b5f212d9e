using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class PartySigningKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_minutes_correction_of",
                schema: "committee",
                table: "minutes");

            migrationBuilder.DropIndex(
                name: "ix_minutes_meeting_id",
                schema: "committee",
                table: "minutes");

            migrationBuilder.CreateTable(
                name: "party_signing_keys",
                schema: "committee",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    public_key_pem = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_party_signing_keys", x => x.key_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_minutes_correction_of",
                schema: "committee",
                table: "minutes",
                column: "correction_of",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_minutes_original",
                schema: "committee",
                table: "minutes",
                column: "meeting_id",
                unique: true,
                filter: "correction_of IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_party_signing_keys_current",
                schema: "committee",
                table: "party_signing_keys",
                column: "party",
                unique: true,
                filter: "valid_until IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_party_signing_keys_party_valid_from",
                schema: "committee",
                table: "party_signing_keys",
                columns: new[] { "party", "valid_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "party_signing_keys",
                schema: "committee");

            migrationBuilder.DropIndex(
                name: "ix_minutes_correction_of",
                schema: "committee",
                table: "minutes");

            migrationBuilder.DropIndex(
                name: "ix_minutes_original",
                schema: "committee",
                table: "minutes");

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
    }
}
