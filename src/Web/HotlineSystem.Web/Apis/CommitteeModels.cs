using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Web.Apis;

// What the console reads from the Committee service's API (docs/api.md, "Joint committee"): its own
// records of the answers, like ApiModels.cs for incidents.

public enum Presence
{
    Present = 1,
    Absent = 2,
    Delegated = 3,
}

public sealed record DelegateView(string UserId, string DisplayName, DelegateRole Role);

public sealed record DelegationView(string Party, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage, IReadOnlyList<DelegateView> Delegates);

public sealed record CommitteeDetails(Guid Id, string Channel, IReadOnlyList<DelegationView> Delegations, int Version)
{
    public DelegateView? DelegateOf(string userId) => Delegations.SelectMany(d => d.Delegates).FirstOrDefault(d => d.UserId == userId);

    public bool IsCoChair(string userId) => DelegateOf(userId)?.Role == DelegateRole.CoChair;

    public string NameOf(string userId) => DelegateOf(userId)?.DisplayName ?? userId;
}

public sealed record LocalTime(string Party, string TimeZone, DateTimeOffset At);

public sealed record MeetingSummary(Guid Id, string Channel, int Number, DateTimeOffset StartsAt, string Place, MeetingMode Mode, MeetingStatus Status, int Version);

public sealed record AttendanceView(string UserId, string DisplayName, string Party, Presence Presence, string? DelegatedTo);

public sealed record AgendaItemSummary(
    Guid Id, string ProposingParty, string Title, string Language, AgendaItemStatus Status, bool OnAgenda, IReadOnlyList<string> AgreedBy,
    int? Position, int? AllottedMinutes, Guid? CarriedOverFrom, Guid? CarriedOverTo, int Version);

public sealed record MeetingDetails(
    Guid Id, string Channel, int Number, DateTimeOffset StartsAt, IReadOnlyList<LocalTime> LocalStarts, DateTimeOffset AgendaCutoff,
    string Place, MeetingMode Mode, MeetingStatus Status, IReadOnlyList<AttendanceView> Attendance, IReadOnlyList<AgendaItemSummary> Agenda, int Version);

public sealed record LinkedIncidentView(Guid Id, string? Title, string? ReportingParty, Severity? Severity, IncidentStatus Status);

public sealed record AgreementView(string Party, string UserId, DateTimeOffset At);

public sealed record PositionView(string Party, string Text, Visibility Visibility, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record AgendaItemDetails(
    Guid Id, Guid MeetingId, int MeetingNumber, string Channel, string ProposingParty, string ProposedBy, DateTimeOffset ProposedAt,
    string Title, string Description, string Language, AgendaItemStatus Status, bool OnAgenda, IReadOnlyList<AgreementView> Agreements,
    IReadOnlyList<LinkedIncidentView> Incidents, int? Position, int? AllottedMinutes, Guid? CarriedOverFrom, Guid? CarriedOverTo,
    IReadOnlyList<PositionView> Positions, int Version);

public sealed record AgendaItemStep(Guid Id, Guid MeetingId, int MeetingNumber, DateTimeOffset MeetingStartsAt, string Title, AgendaItemStatus Status, bool OnAgenda, DateTimeOffset ProposedAt);

public sealed record AgendaItemHistory(Guid Id, IReadOnlyList<AgendaItemStep> Steps);

public sealed record MinutesTextView(string Language, bool Authentic, string Text, string Sha256, string UpdatedBy, DateTimeOffset UpdatedAt);

public sealed record ReviewCommentView(Guid Id, string Party, string UserId, string Text, DateTimeOffset At);

public sealed record MinutesSignatureView(string Party, string UserId, string KeyId, int ContentVersion, DateTimeOffset SignedAt);

public sealed record MinutesView(
    Guid Id, Guid MeetingId, string Channel, MinutesStatus Status, IReadOnlyList<string> Languages, IReadOnlyList<MinutesTextView> Texts,
    IReadOnlyList<ReviewCommentView> Comments, DateTimeOffset? ReviewEndsAt, IReadOnlyList<string> AgreedBy, IReadOnlyList<MinutesSignatureView> Signatures,
    IReadOnlyList<string> ReleaseAgreedBy, bool Released, int ContentVersion, Guid? CorrectionOf, Guid? CorrectedBy, int Version, DateTimeOffset UpdatedAt)
{
    /// <summary>The parties' languages first (each authentic), then the English reference.</summary>
    public IReadOnlyList<string> Columns => [.. Languages, .. Languages.Contains(English) ? [] : new[] { English }];

    public const string English = "en";

    public MinutesTextView? TextIn(string language) => Texts.FirstOrDefault(t => t.Language == language);
}

public sealed record MinutesSummary(Guid Id, Guid MeetingId, MinutesStatus Status, bool Released, Guid? CorrectionOf, int Version, DateTimeOffset UpdatedAt);

public sealed record TextDigest(string Language, string Sha256, bool Authentic);

public sealed record SignatureVerification(string? Party, string? KeyId, bool Holds, string Reason, bool? KeyValidWhenSigned, DateTimeOffset? SignedAt);

public sealed record MinutesVerification(
    Guid MinutesId, int ContentVersion, MinutesStatus Status, IReadOnlyList<TextDigest> Texts, bool TextsMatch,
    IReadOnlyList<SignatureVerification> Signatures, bool Verified);

public sealed record DecisionAgendaItemView(Guid Id, string Title, AgendaItemStatus Status);

public sealed record PartyApprovalView(string Party, DomesticApproval Approval, DateOnly? On, string? RecordedBy);

public sealed record DecisionView(
    Guid Id, string Number, Guid MeetingId, int MeetingNumber, string Channel, string Title, string Text,
    IReadOnlyList<DecisionAgendaItemView> AgendaItems, IReadOnlyList<PartyApprovalView> Approvals,
    string RecordedBy, DateTimeOffset RecordedAt, int Version);

public sealed record ProgressNoteView(string Party, string UserId, string Text, DateTimeOffset At);

public sealed record ActionItemView(
    Guid Id, Guid MeetingId, Guid? AgendaItemId, string Channel, string Title, string OwnerParty, string OwnerUserId, string OwnerName,
    DateTimeOffset DueAt, IReadOnlyList<LocalTime> LocalDue, ActionItemStatus Status, bool Overdue, IReadOnlyList<ProgressNoteView> Notes,
    DateTimeOffset? ProposedDueAt, string? ProposedBy, int Version);
