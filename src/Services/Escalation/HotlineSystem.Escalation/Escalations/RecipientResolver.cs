using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.Escalation.Rosters;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Escalations;

/// <summary>
/// Turns a tier into people at the moment it fires: named users as they are now (active ones), or
/// the on-duty holder of the role by the party's roster — and when no roster covers that moment,
/// everyone of the party who holds the role (and tier), so that a tier never reaches nobody by a gap
/// in the roster. Answers are remembered for the life of one resolver (one timer batch).
/// </summary>
public sealed class RecipientResolver(EscalationDbContext db, IDutyRosters rosters)
{
    private readonly Dictionary<string, IReadOnlyList<EscalationRecipient>> _resolved = [];

    public async Task<IReadOnlyList<EscalationRecipient>> ResolveAsync(EscalationTier tier, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = $"{tier.Party}|{tier.Role}|{tier.OfficialTier}|{string.Join(',', tier.UserIds ?? [])}|{at:O}";
        if (_resolved.TryGetValue(key, out var known))
        {
            return known;
        }

        List<EscalationRecipient> recipients;
        if (tier.UserIds is { Count: > 0 } ids)
        {
            var named = await db.People.AsNoTracking().Where(p => ids.Contains(p.UserId) && p.Active).ToListAsync(cancellationToken);
            recipients = named.Select(p => new EscalationRecipient(p.UserId, p.Party, tier.Role ?? p.Roles.FirstOrDefault() ?? "", p.OfficialTier)).ToList();
        }
        else
        {
            var (party, role) = (tier.Party!, tier.Role!);
            var holders = (await db.People.AsNoTracking().Where(p => p.Party == party && p.Active).ToListAsync(cancellationToken))
                .Where(p => p.Holds(party, role, tier.OfficialTier))
                .ToList();
            var onDuty = await rosters.OnDutyAsync(party, role, at, cancellationToken);
            var chosen = onDuty.Count > 0 ? holders.Where(p => onDuty.Contains(p.UserId)).ToList() : [];
            recipients = (chosen.Count > 0 ? chosen : holders)
                .Select(p => new EscalationRecipient(p.UserId, p.Party, role, p.OfficialTier)).ToList();
        }

        _resolved[key] = recipients;
        return recipients;
    }
}
