using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Host;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Committee host (<see cref="ServiceHostApp{TEntryPoint, TContext}"/>). It is ready once the
/// registry's replay has given it the parties and a committee for each channel.
/// </summary>
public sealed class CommitteeApp(
    string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? time = null)
    : ServiceHostApp<CommitteeHostEntryPoint, CommitteeDbContext>(connectionString, endpointPrefix, settings, time)
{
    public const string Scope = "openid profile committee";

    protected override string ServiceName => "Committee";

    protected override string Audience => "committee-api";

    protected override string TokenScope => Scope;

    public CommitteeApp Start()
    {
        StartHost();
        return this;
    }

    protected override async Task<bool> ReplayArrivedAsync(CommitteeDbContext db)
    {
        var parties = TestRegistry.Parties.Select(p => p.Code).ToList();
        var channels = TestRegistry.Channels.Select(c => c.Code).ToList();
        return await db.Parties.CountAsync(p => parties.Contains(p.Code)) == parties.Count
            && await db.Committees.CountAsync(c => channels.Contains(c.Channel)) == channels.Count;
    }
}
