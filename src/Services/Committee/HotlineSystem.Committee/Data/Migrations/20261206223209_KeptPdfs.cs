using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Committee.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeptPdfs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kept_pdfs",
                schema: "committee",
                columns: table => new
                {
                    minutes_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pdf = table.Column<byte[]>(type: "bytea", nullable: false),
                    printed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kept_pdfs", x => x.minutes_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kept_pdfs",
                schema: "committee");
        }
    }
}
