using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryCopyFromBuildingBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "display_name",
                schema: "notifications",
                table: "people",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "official_tier",
                schema: "notifications",
                table: "people",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "user_name",
                schema: "notifications",
                table: "people",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "display_name",
                schema: "notifications",
                table: "people");

            migrationBuilder.DropColumn(
                name: "official_tier",
                schema: "notifications",
                table: "people");

            migrationBuilder.DropColumn(
                name: "user_name",
                schema: "notifications",
                table: "people");
        }
    }
}
