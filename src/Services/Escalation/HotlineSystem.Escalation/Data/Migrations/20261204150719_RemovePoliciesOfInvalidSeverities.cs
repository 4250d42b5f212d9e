using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Escalation.Data.Migrations
{
    /// <summary>
    /// Before severities were read by name only, PUT /api/escalation-policies/{channel}/0 (or 5, or -1)
    /// stored a policy under a severity that does not exist, which no incident uses, no request can
    /// name, and which made its party's policy list fail. Those rows are removed; nothing refers to them.
    /// </summary>
    public partial class RemovePoliciesOfInvalidSeverities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM escalation.policies WHERE severity NOT IN ('Sev1', 'Sev2', 'Sev3', 'Sev4');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Removed rows were never valid: nothing to put back.
        }
    }
}
