using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Incidents.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "incidents");

            migrationBuilder.CreateTable(
                name: "channels",
                schema: "incidents",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    party_a = table.Column<string>(type: "text", nullable: false),
                    party_b = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channels", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "hs_codes",
                schema: "incidents",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    description_en = table.Column<string>(type: "text", nullable: false),
                    description_ko = table.Column<string>(type: "text", nullable: false),
                    description_zh = table.Column<string>(type: "text", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hs_codes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "incidents",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "incident_types",
                schema: "incidents",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    name_ko = table.Column<string>(type: "text", nullable: false),
                    name_zh = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_types", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                schema: "incidents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reporting_party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    counterpart_party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    reported_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    severity = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    minerals = table.Column<List<string>>(type: "text[]", nullable: false),
                    hs_codes = table.Column<List<string>>(type: "text[]", nullable: false),
                    sectors = table.Column<List<string>>(type: "text[]", nullable: false),
                    quantity_tonnes = table.Column<decimal>(type: "numeric(12,3)", precision: 12, scale: 3, nullable: true),
                    inventory_cover_days = table.Column<int>(type: "integer", nullable: true),
                    started_on = table.Column<DateOnly>(type: "date", nullable: true),
                    counterpart_agency = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledged_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "minerals",
                schema: "incidents",
                columns: table => new
                {
                    symbol = table.Column<string>(type: "text", nullable: false),
                    atomic_number = table.Column<int>(type: "integer", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    name_ko = table.Column<string>(type: "text", nullable: false),
                    name_zh = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_minerals", x => x.symbol);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "incidents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    trace_parent = table.Column<string>(type: "text", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "parties",
                schema: "incidents",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    name_own = table.Column<string>(type: "text", nullable: false),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    working_language = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parties", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "sectors",
                schema: "incidents",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    name_ko = table.Column<string>(type: "text", nullable: false),
                    name_zh = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sectors", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "timeline_entries",
                schema: "incidents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    actor_user_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_party = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    visibility = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    old_value = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    new_value = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_timeline_entries_incidents_incident_id",
                        column: x => x.incident_id,
                        principalSchema: "incidents",
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_channel_reported_at",
                schema: "incidents",
                table: "incidents",
                columns: new[] { "channel", "reported_at" });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_reporting_party_request_id",
                schema: "incidents",
                table: "incidents",
                columns: new[] { "reporting_party", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent_at_created_at",
                schema: "incidents",
                table: "outbox_messages",
                columns: new[] { "sent_at", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_timeline_entries_incident_id_occurred_at",
                schema: "incidents",
                table: "timeline_entries",
                columns: new[] { "incident_id", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "hs_codes",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incident_types",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "minerals",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "parties",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "sectors",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "timeline_entries",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incidents",
                schema: "incidents");
        }
    }
}
