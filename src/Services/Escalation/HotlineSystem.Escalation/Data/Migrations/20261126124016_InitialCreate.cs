using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Escalation.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "escalation");

            migrationBuilder.CreateTable(
                name: "escalations",
                schema: "escalation",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    owner_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    counterpart_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    policy = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    next_tier = table.Column<int>(type: "integer", nullable: false),
                    repeats = table.Column<int>(type: "integer", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    stopped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    stop_reason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    tiers_fired = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escalations", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "escalation",
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
                name: "incident_records",
                schema: "escalation",
                columns: table => new
                {
                    incident_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reporting_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    severity_version = table.Column<int>(type: "integer", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledging_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_records", x => x.incident_id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "escalation",
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
                name: "people",
                schema: "escalation",
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

            migrationBuilder.CreateTable(
                name: "policies",
                schema: "escalation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    owner_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    tiers = table.Column<string>(type: "text", nullable: false),
                    repeat_last_tier = table.Column<int>(type: "integer", nullable: false),
                    confirmation_window = table.Column<TimeSpan>(type: "interval", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policies", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_escalations_due_at",
                schema: "escalation",
                table: "escalations",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "ix_incident_records_channel_reported_at",
                schema: "escalation",
                table: "incident_records",
                columns: new[] { "channel", "reported_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent_at_created_at",
                schema: "escalation",
                table: "outbox_messages",
                columns: new[] { "sent_at", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_people_party",
                schema: "escalation",
                table: "people",
                column: "party");

            migrationBuilder.CreateIndex(
                name: "ix_policies_channel_owner_party_severity",
                schema: "escalation",
                table: "policies",
                columns: new[] { "channel", "owner_party", "severity" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "escalations",
                schema: "escalation");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "escalation");

            migrationBuilder.DropTable(
                name: "incident_records",
                schema: "escalation");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "escalation");

            migrationBuilder.DropTable(
                name: "people",
                schema: "escalation");

            migrationBuilder.DropTable(
                name: "policies",
                schema: "escalation");
        }
    }
}
