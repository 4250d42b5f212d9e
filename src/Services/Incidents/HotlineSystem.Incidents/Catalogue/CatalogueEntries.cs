using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.Incidents.Catalogue;

/// <summary>One of the 17 rare earths.</summary>
public sealed record Mineral(string Symbol, int AtomicNumber, string NameEn, string NameKo, string NameZh);

/// <summary>
/// A rare-earth customs heading: the international 6-digit code (digits only, e.g. "280530"),
/// valid from a date and possibly until one. A party's 10-digit national code extends it.
/// </summary>
public sealed record HsCode(string Code, string DescriptionEn, string DescriptionKo, string DescriptionZh, DateOnly ValidFrom, DateOnly? ValidTo)
{
    public bool IsValidOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day <= ValidTo);

    /// <summary>"280530" → "2805.30"</summary>
    public string Display => $"{Code[..4]}.{Code[4..]}";
}

/// <summary>An affected industry sector (semiconductors, electric vehicles ...).</summary>
public sealed record Sector(string Code, string NameEn, string NameKo, string NameZh);

/// <summary>A kind of supply incident (export-licence delay, customs hold ...).</summary>
public sealed record IncidentType(string Code, string NameEn, string NameKo, string NameZh);

/// <summary>
/// A government, by ISO 3166 alpha-2 code, as the registry (the Identity service) last announced it
/// (PartyChanged): later versions win, an older or repeated announcement changes nothing.
/// </summary>
public sealed class Party
{
    public Party(string code, string nameEn, string nameOwn, string timeZone, string workingLanguage, int version = 1) =>
        (Code, NameEn, NameOwn, TimeZone, WorkingLanguage, Version) = (code, nameEn, nameOwn, timeZone, workingLanguage, version);

    public string Code { get; private set; }

    public string NameEn { get; private set; }

    public string NameOwn { get; private set; }

    public string TimeZone { get; private set; }

    public string WorkingLanguage { get; private set; }

    public int Version { get; private set; }

    public static Party From(PartyChanged changed) =>
        new(changed.Code, changed.EnglishName, changed.NativeName, changed.TimeZone, changed.WorkingLanguage, changed.Version);

    public void Apply(PartyChanged changed)
    {
        if (changed.Version > Version)
        {
            (NameEn, NameOwn, TimeZone, WorkingLanguage, Version) = (changed.EnglishName, changed.NativeName, changed.TimeZone, changed.WorkingLanguage, changed.Version);
        }
    }
}

/// <summary>
/// A bilateral channel between two parties, as the registry last announced it (ChannelChanged);
/// incidents are filed on an Open channel only. Later versions win.
/// </summary>
public sealed class Channel
{
    public Channel(string code, string partyA, string partyB, string nameEn, ChannelStatus status = ChannelStatus.Open, int version = 1) =>
        (Code, PartyA, PartyB, NameEn, Status, Version) = (code, partyA, partyB, nameEn, status, version);

    public string Code { get; private set; }

    public string PartyA { get; private set; }

    public string PartyB { get; private set; }

    public string NameEn { get; private set; }

    public ChannelStatus Status { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => Status == ChannelStatus.Open;

    public bool Includes(string party) => party == PartyA || party == PartyB;

    public string CounterpartOf(string party) => party == PartyA ? PartyB : PartyA;

    public static Channel From(ChannelChanged changed) =>
        new(changed.Code, changed.FirstParty, changed.SecondParty, changed.Name, changed.Status, changed.Version);

    public void Apply(ChannelChanged changed)
    {
        if (changed.Version > Version)
        {
            (NameEn, Status, Version) = (changed.Name, changed.Status, changed.Version);
        }
    }
}
