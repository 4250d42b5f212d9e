using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Host;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Escalation host (<see cref="ServiceHostApp{TEntryPoint, TContext}"/>). Extra settings (e.g.
/// the timer's Escalation:Timer options) and a clock of the test's own replace the host's.
/// </summary>
public sealed class EscalationApp(
    string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? time = null)
    : ServiceHostApp<EscalationHostEntryPoint, EscalationDbContext>(connectionString, endpointPrefix, settings, time)
{
    public const string Scope = "openid profile escalation";

    protected override string ServiceName => "Escalation";

    protected override string Audience => "escalation-api";

    protected override string TokenScope => Scope;

    /// <summary>Starts the host (migrations, bus, timer) so that its consumers are bound before people are created.</summary>
    public EscalationApp Start()
    {
        StartHost();
        return this;
    }

    // The party time zones (a roster's default) come from the registry's replay, asked for at start.
    protected override async Task<bool> ReplayArrivedAsync(EscalationDbContext db)
    {
        var parties = TestRegistry.Parties.Select(p => p.Code).ToList();
        return await db.Parties.CountAsync(p => parties.Contains(p.Code)) == parties.Count;
    }
}

/// <summary>
/// The real clock moved by an offset a test sets: the host's timers and outbox keep running, while
/// "now" lands where the test needs it. Access tokens are checked by the wall clock, not by this one.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A clock that stands where the test puts it: "now" does not move by itself, so "one second before
/// the due time" stays so while the test waits. Timers and delays still run on real time (the
/// escalation timer keeps polling), and access tokens are checked by the wall clock.
/// </summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    private long _utcTicks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
