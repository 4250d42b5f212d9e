namespace HotlineSystem.Incidents.Domain;

/// <summary>Where a change came from, as the timeline records it.</summary>
public enum ChangeSource
{
    Web = 1,
    Api = 2,
    Automation = 3,
}

/// <summary>Who makes a change: a user of one party, through one source.</summary>
public sealed record Actor(string UserId, string Party, ChangeSource Source);
