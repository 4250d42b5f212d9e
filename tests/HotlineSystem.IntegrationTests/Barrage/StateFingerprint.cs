using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Barrage;

/// <summary>
/// Everything a service has stored, as one comparable text: per table of its DbContext, the row count
/// and a hash of every row. Read before and after the bad requests of an operation: equal, or
/// something was written.
/// </summary>
public sealed class StateFingerprint(IServiceProvider services, Type dbContextType)
{
    /// <summary>
    /// Tables that change without any request: the outbox and inbox (the relay delivers and clears them;
    /// a record written with an event shows in its own table anyway), OpenIddict's tokens and
    /// authorizations and the keys (written by signing in and by the server's own housekeeping).
    /// </summary>
    private static readonly string[] Ignored = ["outbox", "inbox", "openiddict", "dataprotection", "serverkey", "server_key"];

    public async Task<string> ReadAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(dbContextType);
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.GetViewName() is null)
            .Select(e => (Schema: e.GetSchema(), Table: e.GetTableName()!))
            .Distinct()
            .Where(t => !Ignored.Any(i => t.Table.Replace("_", "", StringComparison.Ordinal).Contains(i.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.Table, StringComparer.Ordinal)
            .ToList();

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            var lines = new List<string>();
            foreach (var (schema, table) in tables)
            {
                var name = schema is null ? $"\"{table}\"" : $"\"{schema}\".\"{table}\"";
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {name} t";
                await using DbDataReader reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                lines.Add($"{table}:{reader.GetInt64(0)}:{reader.GetString(1)}");
            }

            return string.Join(Environment.NewLine, lines);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Waits until nothing changes for two seconds: events of the setup (people, incidents) still arriving over the broker.</summary>
    public async Task<string> SettledAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = await ReadAsync();
        var quiet = 0;
        while (quiet < 4 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = await ReadAsync();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }

        return last;
    }

    /// <summary>The tables whose line differs, for the report.</summary>
    public static string Difference(string before, string after)
    {
        var was = before.Split(Environment.NewLine).ToHashSet();
        return string.Join(", ", after.Split(Environment.NewLine).Where(line => !was.Contains(line)).Select(line => line.Split(':')[0]));
    }
}
