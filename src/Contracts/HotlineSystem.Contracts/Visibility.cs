namespace HotlineSystem.Contracts;

/// <summary>Who may read a record: both parties of the channel, or only the authoring party.</summary>
public enum Visibility
{
    Shared = 1,
    Internal = 2,
}
