using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Web.Apis;

/// <summary>The Committee service's API on the signed-in person's behalf (docs/api.md, "Joint committee").</summary>
public static class CommitteeApi
{
    public static Task<PagedList<CommitteeDetails>> CommitteesAsync(this HotlineApi api, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<CommitteeDetails>>(HotlineService.Committee, "api/committees?pageSize=50", cancellationToken);

    public static Task<CommitteeDetails> CommitteeAsync(this HotlineApi api, string channel, CancellationToken cancellationToken) =>
        api.GetAsync<CommitteeDetails>(HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}", cancellationToken);

    public static Task<PagedList<MeetingSummary>> MeetingsAsync(this HotlineApi api, string channel, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<MeetingSummary>>(HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}/meetings?pageSize=50", cancellationToken);

    /// <summary>The channel's Shared incidents an agenda item may name, the latest changed first.</summary>
    public static Task<PagedList<LinkedIncidentView>> LinkableIncidentsAsync(this HotlineApi api, string channel, int pageSize, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<LinkedIncidentView>>(HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}/incidents?pageSize={pageSize}", cancellationToken);

    public static Task<MeetingDetails> ScheduleMeetingAsync(
        this HotlineApi api, string channel, Guid requestId, DateTimeOffset startsAt, DateTimeOffset agendaCutoff, string place, MeetingMode mode, CancellationToken cancellationToken) =>
        api.SendAsync<MeetingDetails>(HttpMethod.Post, HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}/meetings",
            new { requestId, startsAt, agendaCutoff, place, mode = mode.ToString() }, null, cancellationToken);

    public static Task<MeetingDetails> MeetingAsync(this HotlineApi api, Guid id, CancellationToken cancellationToken) =>
        api.GetAsync<MeetingDetails>(HotlineService.Committee, $"api/meetings/{id}", cancellationToken);

    public static Task MoveMeetingAsync(this HotlineApi api, MeetingDetails meeting, MeetingStatus status, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Committee, $"api/meetings/{meeting.Id}/status", new { status = status.ToString() }, meeting.Version, cancellationToken);

    public static Task<AgendaItemDetails> ProposeAsync(
        this HotlineApi api, Guid meetingId, Guid requestId, string title, string description, string language, IReadOnlyList<Guid> incidents, CancellationToken cancellationToken) =>
        api.SendAsync<AgendaItemDetails>(HttpMethod.Post, HotlineService.Committee, $"api/meetings/{meetingId}/agenda-items",
            new { requestId, title, description, language, incidents }, null, cancellationToken);

    public static Task<AgendaItemDetails> AgendaItemAsync(this HotlineApi api, Guid id, CancellationToken cancellationToken) =>
        api.GetAsync<AgendaItemDetails>(HotlineService.Committee, $"api/agenda-items/{id}", cancellationToken);

    public static Task<AgendaItemHistory> AgendaItemHistoryAsync(this HotlineApi api, Guid id, CancellationToken cancellationToken) =>
        api.GetAsync<AgendaItemHistory>(HotlineService.Committee, $"api/agenda-items/{id}/history", cancellationToken);

    public static Task AgreeAsync(this HotlineApi api, AgendaItemSummary item, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Committee, $"api/agenda-items/{item.Id}/agreement", null, item.Version, cancellationToken);

    public static Task ArrangeAsync(this HotlineApi api, AgendaItemSummary item, int position, int? allottedMinutes, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Committee, $"api/agenda-items/{item.Id}/arrangement", new { position, allottedMinutes }, item.Version, cancellationToken);

    public static Task RecordItemStatusAsync(this HotlineApi api, AgendaItemDetails item, AgendaItemStatus status, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Committee, $"api/agenda-items/{item.Id}/status", new { status = status.ToString() }, item.Version, cancellationToken);

    /// <summary>The item goes on to a later meeting's agenda as a new item naming it; this one becomes Deferred.</summary>
    public static Task<AgendaItemDetails> CarryOverAsync(this HotlineApi api, AgendaItemDetails item, Guid meetingId, CancellationToken cancellationToken) =>
        api.SendAsync<AgendaItemDetails>(HttpMethod.Post, HotlineService.Committee, $"api/agenda-items/{item.Id}/carry-over", new { meetingId }, item.Version, cancellationToken);

    public static Task RecordPositionAsync(this HotlineApi api, AgendaItemDetails item, string text, Visibility visibility, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Committee, $"api/agenda-items/{item.Id}/positions/mine", new { text, visibility = visibility.ToString() }, item.Version, cancellationToken);

    /// <summary>The meeting's minutes (drafting again answers with the ones there are).</summary>
    public static Task<MinutesView> DraftMinutesAsync(this HotlineApi api, Guid meetingId, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/meetings/{meetingId}/minutes", null, null, cancellationToken);

    public static Task<PagedList<MinutesSummary>> MinutesOfAsync(this HotlineApi api, Guid meetingId, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<MinutesSummary>>(HotlineService.Committee, $"api/meetings/{meetingId}/minutes", cancellationToken);

    public static Task<MinutesView> MinutesAsync(this HotlineApi api, Guid id, CancellationToken cancellationToken) =>
        api.GetAsync<MinutesView>(HotlineService.Committee, $"api/minutes/{id}", cancellationToken);

    public static Task<MinutesView> WriteMinutesTextAsync(this HotlineApi api, MinutesView minutes, string language, string text, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Put, HotlineService.Committee, $"api/minutes/{minutes.Id}/texts/{Uri.EscapeDataString(language)}", new { text }, minutes.Version, cancellationToken);

    public static Task<MinutesView> ShareForReviewAsync(this HotlineApi api, MinutesView minutes, DateTimeOffset reviewEndsAt, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/minutes/{minutes.Id}/review", new { reviewEndsAt }, minutes.Version, cancellationToken);

    public static Task<MinutesView> CommentOnMinutesAsync(this HotlineApi api, MinutesView minutes, string text, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/minutes/{minutes.Id}/comments", new { text }, minutes.Version, cancellationToken);

    public static Task<MinutesView> AgreeToMinutesAsync(this HotlineApi api, MinutesView minutes, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/minutes/{minutes.Id}/agreement", null, minutes.Version, cancellationToken);

    /// <summary>Signs the texts as they stood at <paramref name="minutes"/>' version: the ones the co-chair saw.</summary>
    public static Task<MinutesView> SignMinutesAsync(this HotlineApi api, MinutesView minutes, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/minutes/{minutes.Id}/signature", null, minutes.Version, cancellationToken);

    public static Task<MinutesView> AgreeToReleaseAsync(this HotlineApi api, MinutesView minutes, CancellationToken cancellationToken) =>
        api.SendAsync<MinutesView>(HttpMethod.Post, HotlineService.Committee, $"api/minutes/{minutes.Id}/release", null, minutes.Version, cancellationToken);

    public static Task<MinutesVerification> VerifyMinutesAsync(this HotlineApi api, Guid id, CancellationToken cancellationToken) =>
        api.GetAsync<MinutesVerification>(HotlineService.Committee, $"api/minutes/{id}/verification", cancellationToken);

    /// <summary>The own party's attendance, replacing what it recorded before.</summary>
    public static Task RecordAttendanceAsync(this HotlineApi api, MeetingDetails meeting, IReadOnlyList<(string UserId, Presence Presence)> entries, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Committee, $"api/meetings/{meeting.Id}/attendance",
            new { entries = entries.Select(e => new { userId = e.UserId, presence = e.Presence.ToString() }) }, meeting.Version, cancellationToken);

    public static Task<DecisionView> RecordDecisionAsync(
        this HotlineApi api, Guid meetingId, Guid requestId, string title, string text, IReadOnlyList<Guid> agendaItems, IReadOnlyList<string> needsApprovalOf, CancellationToken cancellationToken) =>
        api.SendAsync<DecisionView>(HttpMethod.Post, HotlineService.Committee, $"api/meetings/{meetingId}/decisions",
            new { requestId, title, text, agendaItems, needsApprovalOf }, null, cancellationToken);

    public static Task RecordDomesticApprovalAsync(this HotlineApi api, DecisionView decision, DomesticApproval approval, DateOnly on, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Committee, $"api/decisions/{decision.Id}/domestic-approval",
            new { approval = approval.ToString(), on = on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, decision.Version, cancellationToken);

    public static Task<ActionItemView> AssignActionItemAsync(
        this HotlineApi api, Guid meetingId, Guid requestId, string title, string ownerUserId, DateTimeOffset dueAt, Guid? agendaItemId, CancellationToken cancellationToken) =>
        api.SendAsync<ActionItemView>(HttpMethod.Post, HotlineService.Committee, $"api/meetings/{meetingId}/action-items",
            new { requestId, title, ownerUserId, dueAt, agendaItemId }, null, cancellationToken);

    public static Task ChangeActionItemStatusAsync(this HotlineApi api, ActionItemView item, ActionItemStatus status, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Committee, $"api/action-items/{item.Id}/status", new { status = status.ToString() }, item.Version, cancellationToken);

    public static Task AddProgressNoteAsync(this HotlineApi api, ActionItemView item, string text, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Committee, $"api/action-items/{item.Id}/notes", new { text }, item.Version, cancellationToken);

    public static Task<PagedList<DecisionView>> DecisionsAsync(this HotlineApi api, string channel, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<DecisionView>>(HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}/decisions?pageSize=50", cancellationToken);

    public static Task<PagedList<ActionItemView>> ActionItemsAsync(this HotlineApi api, string channel, CancellationToken cancellationToken) =>
        api.GetAsync<PagedList<ActionItemView>>(HotlineService.Committee, $"api/committees/{Uri.EscapeDataString(channel)}/action-items?pageSize=50", cancellationToken);
}
