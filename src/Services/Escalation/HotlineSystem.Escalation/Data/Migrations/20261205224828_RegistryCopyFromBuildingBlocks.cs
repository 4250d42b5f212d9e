using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Escalation.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryCopyFromBuildingBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "english_name",
                schema: "escalation",
                table: "parties",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "native_name",
                schema: "escalation",
                table: "parties",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "working_language",
                schema: "escalation",
                table: "parties",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "english_name",
                schema: "escalation",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "native_name",
                schema: "escalation",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "working_language",
                schema: "escalation",
                table: "parties");
        }
    }
}
