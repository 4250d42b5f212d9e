using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HotlineSystem.IntegrationTests;

/// <summary>The timeline is append-only in PostgreSQL itself, not only by the code's good manners.</summary>
public sealed class TimelineTests(IncidentsAppFixture fixture) : IClassFixture<IncidentsAppFixture>
{
    [Theory]
    [InlineData("UPDATE incidents.timeline_entries SET text = 'rewritten' WHERE incident_id = {0}")]
    [InlineData("DELETE FROM incidents.timeline_entries WHERE incident_id = {0}")]
    public async Task The_database_refuses_to_change_or_remove_a_timeline_entry(string sql)
    {
        var filed = await fixture.App.KrOfficerClient().FileAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.App.InDatabase(db => db.Database.ExecuteSqlRawAsync(sql, filed.Id)));

        Assert.Contains("append-only", refused.MessageText);
        var entries = await fixture.App.InDatabase(db => db.TimelineEntries.AsNoTracking().Where(e => e.IncidentId == filed.Id).ToListAsync());
        Assert.Single(entries);
        Assert.Null(entries[0].Text);
    }

    [Fact]
    public async Task The_database_refuses_to_truncate_the_timeline()
    {
        await fixture.App.KrOfficerClient().FileAsync();

        await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.App.InDatabase(db => db.Database.ExecuteSqlRawAsync("TRUNCATE incidents.timeline_entries CASCADE")));

        Assert.True(await fixture.App.InDatabase(db => db.TimelineEntries.AnyAsync()));
    }
}
