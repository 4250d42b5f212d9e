using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Incidents.Data.Migrations
{
    /// <summary>Parties and channels become copies of the registry's (docs/adr/0009): a version, and a channel's status.</summary>
    public partial class ChannelStatusFromTheRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "incidents",
                table: "parties",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "status",
                schema: "incidents",
                table: "channels",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "Open"); // channels written before the registry were open; version 0, so the registry's announcement replaces them

            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "incidents",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "version",
                schema: "incidents",
                table: "parties");

            migrationBuilder.DropColumn(
                name: "status",
                schema: "incidents",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "version",
                schema: "incidents",
                table: "channels");
        }
    }
}
