using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Incidents;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts.Incidents;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Committees;

/// <summary>Limits of free texts, shared by the validators and the database columns.</summary>
public static class CommitteeTextLimits
{
    public const int Title = 200;
    public const int Description = 8_000;
    public const int Place = 200;
    public const int Position = 4_000;
    public const int Delegation = 40;

    /// <summary>One language version of the minutes: about 300 pages.</summary>
    public const int MinutesText = 1_000_000;
}

public sealed record PersonView(string UserId, string DisplayName);

public sealed record DelegateView(string UserId, string DisplayName, DelegateRole Role);

/// <summary>A party of the channel as the committee shows it: its names, time zone and working language, and its delegation.</summary>
public sealed record DelegationView(string Party, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage, IReadOnlyList<DelegateView> Delegates);

public sealed record CommitteeDetails(Guid Id, string Channel, IReadOnlyList<DelegationView> Delegations, int Version);

/// <summary>A moment shown in a party's own time zone.</summary>
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

/// <summary>One step of an item's history: the item as it stood at one meeting.</summary>
public sealed record AgendaItemStep(Guid Id, Guid MeetingId, int MeetingNumber, DateTimeOffset MeetingStartsAt, string Title, AgendaItemStatus Status, bool OnAgenda, DateTimeOffset ProposedAt);

public sealed record AgendaItemHistory(Guid Id, IReadOnlyList<AgendaItemStep> Steps);

/// <summary>The views of the committee's records, with the names and zones they show read from this service's copy of the registry.</summary>
internal static class CommitteeViews
{
    public static AgendaItemSummary ToSummary(this AgendaItem i) =>
        new(i.Id, i.ProposingParty, i.Title, i.Language, i.Status, i.OnAgenda, [.. i.Agreements.Select(a => a.Party)], i.Position, i.AllottedMinutes,
            i.CarriedOverFrom, i.CarriedOverTo, i.Version);

    public static MeetingSummary ToSummary(this Meeting m) => new(m.Id, m.Channel, m.Number, m.StartsAt, m.Place, m.Mode, m.Status, m.Version);

    public static async Task<CommitteeDetails> DetailsAsync(this CommitteeDbContext db, JointCommittee committee, CancellationToken cancellationToken)
    {
        var names = await db.DisplayNamesAsync(committee.Delegates.Select(d => d.UserId), cancellationToken);
        var parties = await db.PartiesOfAsync(committee.ChannelCode.Parties, cancellationToken);
        var delegations = committee.ChannelCode.Parties.Select(code =>
        {
            var party = parties.GetValueOrDefault(code);
            return new DelegationView(code, party?.EnglishName ?? code, party?.NativeName ?? code, party?.TimeZone ?? "UTC", party?.WorkingLanguage ?? "en",
                [.. committee.DelegationOf(code).OrderBy(d => d.Role).Select(d => new DelegateView(d.UserId, names.GetValueOrDefault(d.UserId, d.UserId), d.Role))]);
        }).ToList();
        return new CommitteeDetails(committee.Id, committee.Channel, delegations, committee.Version);
    }

    public static async Task<MeetingDetails> DetailsAsync(this CommitteeDbContext db, Meeting meeting, CancellationToken cancellationToken)
    {
        var names = await db.DisplayNamesAsync(meeting.Attendance.Select(a => a.UserId), cancellationToken);
        var localStarts = await db.LocalTimesAsync(meeting.Channel, meeting.StartsAt, cancellationToken);
        var agenda = await db.AgendaItems.AsNoTracking().Where(i => i.MeetingId == meeting.Id).ToListAsync(cancellationToken);
        return new MeetingDetails(
            meeting.Id, meeting.Channel, meeting.Number, meeting.StartsAt,
            localStarts,
            meeting.AgendaCutoff, meeting.Place, meeting.Mode, meeting.Status,
            [.. meeting.Attendance.Select(a => new AttendanceView(a.UserId, names.GetValueOrDefault(a.UserId, a.UserId), a.Party, a.Presence, a.DelegatedTo))],
            [.. agenda.OrderBy(i => i.Position ?? int.MaxValue).ThenBy(i => i.ProposedAt).Select(i => i.ToSummary())],
            meeting.Version);
    }

    /// <summary>The item as <paramref name="readerParty"/> may read it: the other party's positions only when shared.</summary>
    public static async Task<AgendaItemDetails> DetailsAsync(this CommitteeDbContext db, AgendaItem item, string readerParty, CancellationToken cancellationToken)
    {
        var meetingNumber = await db.Meetings.Where(m => m.Id == item.MeetingId).Select(m => m.Number).SingleAsync(cancellationToken);
        var incidents = await db.LinkedIncidents.AsNoTracking().Where(i => item.Incidents.Contains(i.IncidentId)).ToDictionaryAsync(i => i.IncidentId, cancellationToken);
        return new AgendaItemDetails(
            item.Id, item.MeetingId, meetingNumber, item.Channel, item.ProposingParty, item.ProposedBy, item.ProposedAt, item.Title, item.Description, item.Language,
            item.Status, item.OnAgenda, [.. item.Agreements.Select(a => new AgreementView(a.Party, a.UserId, a.At))],
            [.. item.Incidents.Select(id => incidents.GetValueOrDefault(id) is { } i
                ? new LinkedIncidentView(id, i.Title, i.ReportingParty, i.Severity, i.Status)
                : new LinkedIncidentView(id, null, null, null, IncidentStatus.Reported))],
            item.Position, item.AllottedMinutes, item.CarriedOverFrom, item.CarriedOverTo,
            [.. item.PositionsReadBy(readerParty).Select(p => new PositionView(p.Party, p.Text, p.Visibility, p.RecordedBy, p.RecordedAt))],
            item.Version);
    }

    public static async Task<Dictionary<string, string>> DisplayNamesAsync(this CommitteeDbContext db, IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await db.People.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.DisplayName, cancellationToken);
    }

    /// <summary>A moment as each party of the channel reads it, in its own time zone.</summary>
    public static async Task<IReadOnlyList<LocalTime>> LocalTimesAsync(this CommitteeDbContext db, string channel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var parties = await db.PartiesOfAsync(BuildingBlocks.Security.ChannelCode.Parse(channel).Parties, cancellationToken);
        return [.. parties.Values.Select(p => new LocalTime(p.Code, p.TimeZone, InZone(at, p.TimeZone)))];
    }

    private static async Task<Dictionary<string, DirectoryParty>> PartiesOfAsync(this CommitteeDbContext db, IReadOnlyList<string> codes, CancellationToken cancellationToken) =>
        await db.Parties.AsNoTracking().Where(p => codes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, cancellationToken);

    /// <summary>The moment in the zone's local time; UTC where the zone is not known to this machine.</summary>
    private static DateTimeOffset InZone(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(at, zone) : at;
}
