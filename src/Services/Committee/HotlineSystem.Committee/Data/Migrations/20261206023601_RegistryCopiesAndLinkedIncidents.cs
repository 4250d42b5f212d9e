using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryCopiesAndLinkedIncidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                schema: "committee",
                table: "meetings",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                schema: "committee",
                table: "agenda_items",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "channels",
                schema: "committee",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    first_party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    second_party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channels", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "linked_incidents",
                schema: "committee",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reporting_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    severity_version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_linked_incidents", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "parties",
                schema: "committee",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    english_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    native_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    working_language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parties", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "people",
                schema: "committee",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    roles = table.Column<List<string>>(type: "text[]", nullable: false),
                    official_tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_people", x => x.user_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_meetings_request_id",
                schema: "committee",
                table: "meetings",
                column: "request_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_request_id",
                schema: "committee",
                table: "agenda_items",
                column: "request_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_linked_incidents_channel",
                schema: "committee",
                table: "linked_incidents",
                column: "channel");

            migrationBuilder.CreateIndex(
                name: "ix_people_party",
                schema: "committee",
                table: "people",
                column: "party");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels",
                schema: "committee");

            migrationBuilder.DropTable(
                name: "linked_incidents",
                schema: "committee");

            migrationBuilder.DropTable(
                name: "parties",
                schema: "committee");

            migrationBuilder.DropTable(
                name: "people",
                schema: "committee");

            migrationBuilder.DropIndex(
                name: "ix_meetings_request_id",
                schema: "committee",
                table: "meetings");

            migrationBuilder.DropIndex(
                name: "ix_agenda_items_request_id",
                schema: "committee",
                table: "agenda_items");

            migrationBuilder.DropColumn(
                name: "request_id",
                schema: "committee",
                table: "meetings");

            migrationBuilder.DropColumn(
                name: "request_id",
                schema: "committee",
                table: "agenda_items");
        }
    }
}
