namespace HotlineSystem.Contracts.Registry;

// Events of the registry of parties and channels, owned by the Identity service (docs/adr/0009).
// They carry the whole state after a change, with a version: consumers keep the highest version per
// code, so a replayed or repeated announcement changes nothing. Evolve additively only.

/// <summary>Where a channel stands: proposed by one party, open once the other accepted, suspended by either.</summary>
public enum ChannelStatus
{
    Proposed = 1,
    Open = 2,
    Suspended = 3,
}

/// <summary>A party (a government) as the registry holds it after a change: its names, time zone and working language.</summary>
public sealed record PartyChanged(
    string Code,
    int Version,
    string EnglishName,
    string NativeName,
    string TimeZone,
    string WorkingLanguage,
    DateTimeOffset OccurredAt);

/// <summary>
/// A channel as the registry holds it after a change. The code names the proposing party first
/// ("KR-VN"); people work on a channel only while it is Open.
/// </summary>
public sealed record ChannelChanged(
    string Code,
    int Version,
    string FirstParty,
    string SecondParty,
    string Name,
    ChannelStatus Status,
    string ChangedBy,
    DateTimeOffset OccurredAt);

/// <summary>
/// A service that keeps a directory (parties, channels, people) asks for all of it again: it started
/// after they were announced, or was restored from a backup. The Identity service answers by
/// announcing every party, channel and person as they stand (PartyChanged, ChannelChanged,
/// UserAccountChanged), to every service; consumers keep the highest version, so it is harmless to all.
/// </summary>
public sealed record DirectoryReplayRequested(Guid RequestId, string Service, DateTimeOffset RequestedAt);
