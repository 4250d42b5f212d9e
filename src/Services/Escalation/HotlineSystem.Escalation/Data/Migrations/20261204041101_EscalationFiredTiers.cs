using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Escalation.Data.Migrations
{
    /// <inheritdoc />
    public partial class EscalationFiredTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "fired",
                schema: "escalation",
                table: "escalations",
                type: "text",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "fired",
                schema: "escalation",
                table: "escalations");
        }
    }
}
