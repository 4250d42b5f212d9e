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

/// <summary>A government, by ISO 3166 alpha-2 code.</summary>
public sealed record Party(string Code, string NameEn, string NameOwn, string TimeZone, string WorkingLanguage);

/// <summary>A bilateral channel between two parties; every incident belongs to one.</summary>
public sealed record Channel(string Code, string PartyA, string PartyB, string NameEn)
{
    public bool Includes(string party) => party == PartyA || party == PartyB;

    public string CounterpartOf(string party) => party == PartyA ? PartyB : PartyA;
}
