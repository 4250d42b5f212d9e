namespace HotlineSystem.Contracts;

/// <summary>
/// What every event carries so that consumers can order and filter it
/// (see architecture.md, "Messaging rules").
/// </summary>
public interface IChannelEvent
{
    string Channel { get; }
    Visibility Visibility { get; }
    string ActingParty { get; }
    DateTimeOffset OccurredAt { get; }
}
