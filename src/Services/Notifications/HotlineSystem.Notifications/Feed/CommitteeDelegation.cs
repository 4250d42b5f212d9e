namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// Who sits on a party's delegation to a channel's committee, as the Committee service last announced
/// it (CommitteeDelegationChanged): the people the committee's changes reach. Later versions win.
/// </summary>
public sealed class CommitteeDelegation
{
    private CommitteeDelegation()
    {
    }

    public string Channel { get; private set; } = "";

    public string Party { get; private set; } = "";

    public List<string> Members { get; private set; } = [];

    public int Version { get; private set; }

    public static CommitteeDelegation For(string channel, string party) => new() { Channel = channel, Party = party };

    public void Apply(IReadOnlyList<string> members, int version)
    {
        if (version > Version)
        {
            (Members, Version) = ([.. members], version);
        }
    }
}
