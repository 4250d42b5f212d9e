using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActionItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "action_items",
                schema: "committee",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agenda_item_id = table.Column<Guid>(type: "uuid", nullable: true),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    owner_party = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    owner_user_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    notes = table.Column<string>(type: "text", nullable: false),
                    proposed_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    proposed_by = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    reminded = table.Column<bool>(type: "boolean", nullable: false),
                    overdue_noticed = table.Column<bool>(type: "boolean", nullable: false),
                    next_timer_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_action_items", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_action_items_meeting_id",
                schema: "committee",
                table: "action_items",
                column: "meeting_id");

            migrationBuilder.CreateIndex(
                name: "ix_action_items_next_timer_at",
                schema: "committee",
                table: "action_items",
                column: "next_timer_at");

            migrationBuilder.CreateIndex(
                name: "ix_action_items_request_id",
                schema: "committee",
                table: "action_items",
                column: "request_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_items",
                schema: "committee");
        }
    }
}
