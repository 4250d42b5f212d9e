using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Escalation.Data.Migrations
{
    /// <inheritdoc />
    public partial class PersonVersionIsConcurrencyToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
