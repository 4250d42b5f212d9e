using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.Identity.Registry;

/// <summary>
/// A government whose people use the hotline: its ISO 3166 alpha-2 code, its names in English and in
/// its own language, its time zone and working language. Parties are data, registered by the
/// deployment's operator; every change is announced (PartyChanged) so other services keep a copy.
/// </summary>
public sealed class Party : AggregateRoot
{
    private Party()
    {
    }

    public string Code { get; private set; } = "";

    public string EnglishName { get; private set; } = "";

    public string NativeName { get; private set; } = "";

    /// <summary>An IANA time zone (rosters and times are read in it).</summary>
    public string TimeZone { get; private set; } = "";

    /// <summary>A BCP 47 language tag: ko, zh-Hans, vi, lo ...</summary>
    public string WorkingLanguage { get; private set; } = "";

    public DateTimeOffset RegisteredAt { get; private set; }

    public int Version { get; private set; }

    public static Party Register(string code, string englishName, string nativeName, string timeZone, string workingLanguage, DateTimeOffset now)
    {
        if (!ChannelCode.IsPartyCode(code))
        {
            throw new ArgumentException($"'{code}' is not an ISO 3166 alpha-2 code.", nameof(code));
        }

        var party = new Party { Code = code, RegisteredAt = now };
        party.Change(englishName, nativeName, timeZone, workingLanguage, now);
        return party;
    }

    public void Change(string englishName, string nativeName, string timeZone, string workingLanguage, DateTimeOffset now)
    {
        (EnglishName, NativeName, TimeZone, WorkingLanguage) = (englishName, nativeName, timeZone, workingLanguage);
        Version++;
        Raise(Announcement(now));
    }

    /// <summary>The party as it stands, for a directory replay.</summary>
    public PartyChanged Announcement(DateTimeOffset now) => new(Code, Version, EnglishName, NativeName, TimeZone, WorkingLanguage, now);
}
