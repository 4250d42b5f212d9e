using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryOfPartiesAndChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "native_name",
                schema: "identity",
                table: "parties",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "registered_at",
                schema: "identity",
                table: "parties",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "time_zone",
                schema: "identity",
                table: "parties",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "identity",
                table: "parties",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "working_language",
                schema: "identity",
                table: "parties",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "channels",
                schema: "identity",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    first_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    second_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    pair_key = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    proposed_by = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    changed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channels", x => x.code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_channels_pair_key",
                schema: "identity",
                table: "channels",
                column: "pair_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels",
                schema: "identity");

            migrationBuilder.DropColumn(
                name: "native_name",
                schema: "identity",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "registered_at",
                schema: "identity",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "time_zone",
                schema: "identity",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "version",
                schema: "identity",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "working_language",
                schema: "identity",
                table: "parties");
        }
    }
}
