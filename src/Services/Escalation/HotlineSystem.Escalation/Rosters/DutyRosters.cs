using HotlineSystem.Escalation.Data;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Rosters;

/// <summary>The duty rosters as the escalation timer asks them: one person on duty, or nobody (no roster, or a gap in it).</summary>
public sealed class DutyRosters(EscalationDbContext db) : IDutyRosters
{
    public async Task<IReadOnlyList<string>> OnDutyAsync(string party, string role, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var roster = await db.DutyRosters.AsNoTracking().SingleOrDefaultAsync(r => r.Party == party && r.Role == role, cancellationToken);
        return roster?.OnDutyAt(at).UserId is { } userId ? [userId] : [];
    }
}
