namespace HotlineSystem.Escalation.Rosters;

/// <summary>Who is on duty for a role of a party at a moment, by the party's duty roster.</summary>
public interface IDutyRosters
{
    /// <summary>The user ids on duty at <paramref name="at"/> (an override first); empty when no roster covers that moment.</summary>
    Task<IReadOnlyList<string>> OnDutyAsync(string party, string role, DateTimeOffset at, CancellationToken cancellationToken);
}
