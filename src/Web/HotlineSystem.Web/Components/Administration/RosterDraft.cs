using HotlineSystem.Web.Apis;

namespace HotlineSystem.Web.Components.Administration;

/// <summary>
/// A rotation as the roster editor holds it: members in the order they take turns, wall-clock times
/// as the datetime-local fields hold them ("2026-12-07T09:00", in the roster's zone), a shift in whole
/// hours (the API takes nothing else).
/// </summary>
public sealed class RotationDraft
{
    public string? Name { get; set; }

    public List<string> Members { get; } = [];

    public string? FirstHandOff { get; set; }

    public int? ShiftHours { get; set; }

    public string? ValidFrom { get; set; }

    public string? ValidUntil { get; set; }

    /// <summary>The person chosen to join the rotation, not yet added.</summary>
    public string? Candidate { get; set; }

    public static RotationDraft From(RosterRotation rotation)
    {
        var draft = new RotationDraft
        {
            Name = rotation.Name,
            FirstHandOff = LocalTimes.Format(rotation.FirstHandOff),
            ShiftHours = (int)rotation.ShiftLength.TotalHours,
            ValidFrom = rotation.ValidFrom is { } from ? LocalTimes.Format(from) : null,
            ValidUntil = rotation.ValidUntil is { } until ? LocalTimes.Format(until) : null,
        };
        draft.Members.AddRange(rotation.Members);
        return draft;
    }

    /// <summary>Adds the chosen person as the last to take a turn.</summary>
    public void AddCandidate()
    {
        if (Candidate is { } userId && !Members.Contains(userId))
        {
            Members.Add(userId);
        }

        Candidate = null;
    }

    /// <summary>Moves a member up (by −1) or down (by +1) in the order of turns; nothing moves past either end.</summary>
    public bool MoveMember(int index, int by)
    {
        var target = index + by;
        if (index < 0 || index >= Members.Count || target < 0 || target >= Members.Count)
        {
            return false;
        }

        (Members[index], Members[target]) = (Members[target], Members[index]);
        return true;
    }

    /// <summary>The rotation as the API takes it; a time that cannot be read goes as none, and the server names the field.</summary>
    public RotationChange ToChange() => new(
        Name?.Trim() ?? "", [.. Members], LocalTimes.Parse(FirstHandOff), ShiftHours is { } hours ? TimeSpan.FromHours(hours) : null,
        LocalTimes.Parse(ValidFrom), LocalTimes.Parse(ValidUntil));
}

/// <summary>A roster's rotations while they are edited; its overrides are changed one by one, apart from this.</summary>
public sealed class RosterDraft
{
    public List<RotationDraft> Rotations { get; } = [];

    /// <summary>The roster's own zone as it stands (null for a new roster: the party's zone, chosen by the server).</summary>
    public string? TimeZone { get; private init; }

    public static RosterDraft From(DutyRosterView? roster)
    {
        var draft = new RosterDraft { TimeZone = roster?.TimeZone };
        draft.Rotations.AddRange(roster?.Rotations.Select(RotationDraft.From) ?? []);
        return draft;
    }

    /// <summary>A new rotation: daily shifts handed off at 09:00 on <paramref name="firstDay"/>.</summary>
    public RotationDraft Add(DateOnly firstDay)
    {
        var rotation = new RotationDraft { FirstHandOff = LocalTimes.Format(firstDay.ToDateTime(new TimeOnly(9, 0))), ShiftHours = 24 };
        Rotations.Add(rotation);
        return rotation;
    }

    public RosterChange ToChange() => new(TimeZone, [.. Rotations.Select(r => r.ToChange())]);
}
