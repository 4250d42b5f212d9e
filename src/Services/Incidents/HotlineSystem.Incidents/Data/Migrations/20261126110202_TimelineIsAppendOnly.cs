using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HotlineSystem.Incidents.Data.Migrations
{
    /// <summary>
    /// The timeline is the joint record of what happened: the database itself refuses to change or
    /// remove an entry, whatever the code (or a person with a SQL prompt) tries.
    /// </summary>
    public partial class TimelineIsAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE FUNCTION incidents.refuse_timeline_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the incident timeline is append-only: % of an entry refused', TG_OP
                        USING ERRCODE = 'restrict_violation';
                END
                $$;

                CREATE TRIGGER timeline_entries_append_only
                    BEFORE UPDATE OR DELETE ON incidents.timeline_entries
                    FOR EACH ROW EXECUTE FUNCTION incidents.refuse_timeline_change();

                CREATE TRIGGER timeline_entries_no_truncate
                    BEFORE TRUNCATE ON incidents.timeline_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION incidents.refuse_timeline_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP TRIGGER timeline_entries_no_truncate ON incidents.timeline_entries;
                DROP TRIGGER timeline_entries_append_only ON incidents.timeline_entries;
                DROP FUNCTION incidents.refuse_timeline_change();
                """);
        }
    }
}
