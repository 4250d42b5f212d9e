namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>One language version as printed: the parties' authentic texts, and the English reference.</summary>
public sealed record PrintedText(string Language, bool Authentic, string Text, string Sha256);

/// <summary>A co-chair's signature as printed: for which party, by whom, with which key, and whether it holds now.</summary>
public sealed record PrintedSignature(string Party, string PartyName, string CoChair, string KeyId, DateTimeOffset SignedAt, string TimeZone, bool Holds);

/// <summary>A moment of the meeting in one party's zone.</summary>
public sealed record PrintedTime(string Party, string PartyName, string TimeZone, DateTimeOffset At);

/// <summary>
/// What the printable minutes show: the meeting, the texts side by side, the signatures with the
/// hashes they cover, and the verification made when printing. Nothing else of the committee's
/// records (no position, no comment) is part of it.
/// </summary>
public sealed record PrintedMinutes(
    Guid MinutesId, string Channel, int MeetingNumber, IReadOnlyList<PrintedTime> MeetingTimes, string Place, string Mode,
    IReadOnlyList<string> PartyLanguages, int ContentVersion, IReadOnlyList<PrintedText> Texts, IReadOnlyList<PrintedSignature> Signatures,
    bool Verified, DateTimeOffset CheckedAt, Guid? CorrectionOf);
