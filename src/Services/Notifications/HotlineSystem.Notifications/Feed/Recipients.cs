using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// Who is told what (domain.md, "Notifications"). Visibility first: an Internal event reaches only
/// people of the party it belongs to, never the other party's, whoever else the rule would name.
/// </summary>
public sealed class Recipients(NotificationsDbContext db)
{
    /// <summary>
    /// Incident changes: the liaison officers of the channel's parties (of the acting party only when
    /// the event is Internal), except the person who acted.
    /// </summary>
    public async Task<IReadOnlyList<string>> LiaisonOfficersAsync(IChannelEvent @event, string? actingUser, CancellationToken cancellationToken)
    {
        var parties = ReadAccess.Readers(@event);
        var key = string.Join(' ', parties);
        if (!liaisonOfficers.TryGetValue(key, out var officers))
        {
            var people = await db.People.AsNoTracking()
                .Where(p => p.Active && parties.Contains(p.Party))
                .Select(p => new { p.UserId, p.Roles })
                .ToListAsync(cancellationToken);
            officers = people.Where(p => p.Roles.Contains(HotlineRoles.LiaisonOfficer)).Select(p => p.UserId).ToList();
            liaisonOfficers.Add(key, officers);
        }

        return officers.Where(u => u != actingUser).ToList();
    }

    /// <summary>
    /// The committee's changes: the delegates of the channel's committee, of the parties that may read
    /// the event (an Internal one: the acting party's delegation only), except the person who acted.
    /// </summary>
    public async Task<IReadOnlyList<string>> DelegatesAsync(IChannelEvent @event, string? actingUser, CancellationToken cancellationToken)
    {
        var parties = ReadAccess.Readers(@event);
        var delegations = await db.CommitteeDelegations.AsNoTracking()
            .Where(d => d.Channel == @event.Channel && parties.Contains(d.Party))
            .ToListAsync(cancellationToken);
        return delegations.SelectMany(d => d.Members).Where(u => u != actingUser).Distinct().ToList();
    }

    // Per scope, i.e. per batch of messages: the liaison officers of a set of parties, asked once.
    private readonly Dictionary<string, List<string>> liaisonOfficers = new(StringComparer.Ordinal);

    /// <summary>
    /// A tier reached exactly the people it names, of the parties that may read it: both parties of the
    /// channel, or only the owner when the tier is Internal (it reached only the owner's people).
    /// </summary>
    public static IReadOnlyList<string> Named(EscalationTierReached tier)
    {
        var parties = ReadAccess.Readers(tier);
        return tier.Recipients.Where(r => parties.Contains(r.Party)).Select(r => r.UserId).ToList();
    }

    /// <summary>
    /// Of the people a tier reached, those who may read the escalation's stop and have not been told of
    /// it yet (an escalation stops once).
    /// </summary>
    public async Task<IReadOnlyList<string>> NotToldOfStopAsync(EscalationStopped stopped, EscalationTierReached tier, CancellationToken cancellationToken)
    {
        var parties = ReadAccess.Readers(stopped);
        var reached = Named(tier);
        var mayRead = tier.Recipients.Where(r => reached.Contains(r.UserId) && parties.Contains(r.Party)).Select(r => r.UserId).Distinct().ToList();
        var told = await db.FeedEntries.AsNoTracking()
            .Where(e => e.IncidentId == stopped.IncidentId && e.Kind == FeedEntryKind.EscalationStopped && mayRead.Contains(e.UserId))
            .Select(e => e.UserId)
            .ToListAsync(cancellationToken);
        return mayRead.Except(told).ToList();
    }

    /// <summary>The people earlier tiers of this incident's escalation reached, of the parties that may read the event.</summary>
    public async Task<IReadOnlyList<string>> ReachedByEscalationAsync(IChannelEvent @event, Guid incidentId, CancellationToken cancellationToken)
    {
        var reached = await db.FeedEntries.AsNoTracking()
            .Where(e => e.IncidentId == incidentId && e.Kind == FeedEntryKind.EscalationTierReached)
            .Select(e => e.UserId)
            .Distinct()
            .ToListAsync(cancellationToken);
        if (@event.Visibility == Visibility.Shared)
        {
            return reached; // a tier reaches only people of the channel's parties, who may all read a Shared event
        }

        // Internal: the owning party's people only, by the directory (a person it does not know yet is left out rather than risk a leak).
        var parties = ReadAccess.Readers(@event);
        var partyOf = await db.People.AsNoTracking().Where(p => reached.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.Party, cancellationToken);
        return reached.Where(u => partyOf.TryGetValue(u, out var party) && parties.Contains(party)).ToList();
    }
}
