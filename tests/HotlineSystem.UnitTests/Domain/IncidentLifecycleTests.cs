using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.Incidents.Features;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Domain;

public sealed class IncidentLifecycleTests
{
    private static readonly Actor KoreanOfficer = new("kr-officer-1", "KR", ChangeSource.Web);
    private static readonly Actor ChineseOfficer = new("cn-officer-1", "CN", ChangeSource.Api);
    private static readonly Actor ChineseAutomation = new("cn-relay", "CN", ChangeSource.Automation);

    private static readonly IncidentFacts Facts = new(
        "export-licence-delay", Severity.Sev2, "Dysprosium export licences held", "Three magnet makers wait for licences.", "ko",
        ["Dy", "Tb"], ["280530"], ["permanent-magnets"], 12.5m, 14, new DateOnly(2026, 3, 1), "MOFCOM");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 15, 3, 0, 0, TimeSpan.Zero));

    /// <summary>Filed by Korea on the KR–CN channel: China is the counterpart that must acknowledge.</summary>
    private Incident Reported() =>
        Incident.File(Guid.NewGuid(), "KR-CN", "CN", Facts, KoreanOfficer, _time.GetUtcNow());

    private DateTimeOffset Later()
    {
        _time.Advance(TimeSpan.FromMinutes(7));
        return _time.GetUtcNow();
    }

    /// <summary>An incident brought to <paramref name="status"/> along the lifecycle's allowed moves.</summary>
    private Incident In(IncidentStatus status)
    {
        var incident = Reported();
        var path = status switch
        {
            IncidentStatus.Reported => [],
            IncidentStatus.Withdrawn => [],
            IncidentStatus.Acknowledged => new[] { IncidentStatus.Acknowledged },
            IncidentStatus.UnderReview => [IncidentStatus.Acknowledged, IncidentStatus.UnderReview],
            IncidentStatus.Mitigating => [IncidentStatus.Acknowledged, IncidentStatus.UnderReview, IncidentStatus.Mitigating],
            IncidentStatus.Resolved => [IncidentStatus.Acknowledged, IncidentStatus.Mitigating, IncidentStatus.Resolved],
            IncidentStatus.Closed => [IncidentStatus.Acknowledged, IncidentStatus.Resolved, IncidentStatus.Closed],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };

        if (status == IncidentStatus.Withdrawn)
        {
            incident.Withdraw("Filed by mistake.", KoreanOfficer, Later());
        }

        foreach (var step in path)
        {
            if (step == IncidentStatus.Acknowledged)
            {
                incident.Acknowledge(ChineseOfficer, Later());
            }
            else
            {
                incident.MoveTo(step, null, ChineseOfficer, Later());
            }
        }

        Assert.Equal(status, incident.Status);
        return incident;
    }

    /// <summary>What a change must leave behind: one more version, one more timeline entry, one more event.</summary>
    private static (TimelineEntry Entry, object Event) AssertOneChange(Incident incident, Action change)
    {
        var version = incident.Version;
        var entries = incident.Timeline.Count;
        var events = incident.Events.Count;

        change();

        Assert.Equal(version + 1, incident.Version);
        Assert.Equal(entries + 1, incident.Timeline.Count);
        Assert.Equal(events + 1, incident.Events.Count);
        return (incident.Timeline[^1], incident.Events[^1]);
    }

    private static void AssertEntry(TimelineEntry entry, TimelineEntryKind kind, string? oldValue, string? newValue, Actor actor, DateTimeOffset at, string? text = null)
    {
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(oldValue, entry.OldValue);
        Assert.Equal(newValue, entry.NewValue);
        Assert.Equal(actor.UserId, entry.ActorUserId);
        Assert.Equal(actor.Party, entry.ActorParty);
        Assert.Equal(actor.Source, entry.Source);
        Assert.Equal(at, entry.OccurredAt);
        Assert.Equal(text, entry.Text);
        Assert.Equal(Visibility.Shared, entry.Visibility);
    }

    private static int VersionOf(object @event) => @event switch
    {
        IncidentReported e => e.Version,
        IncidentAcknowledged e => e.Version,
        IncidentStatusChanged e => e.Version,
        IncidentSeverityChanged e => e.Version,
        IncidentCommentAdded e => e.Version,
        _ => throw new ArgumentException($"Not an incident event: {@event}", nameof(@event)),
    };

    private static void AssertRefused(Incident incident, Action change, RuleViolationKind kind, string code)
    {
        var status = incident.Status;
        var severity = incident.Severity;
        var version = incident.Version;
        var entries = incident.Timeline.Count;
        var events = incident.Events.Count;

        var violation = Assert.Throws<RuleViolation>(change);

        Assert.Equal(kind, violation.Kind);
        Assert.Equal(code, violation.Code);
        Assert.Equal(status, incident.Status);
        Assert.Equal(severity, incident.Severity);
        Assert.Equal(version, incident.Version);
        Assert.Equal(entries, incident.Timeline.Count);
        Assert.Equal(events, incident.Events.Count);
    }

    [Fact]
    public void A_filed_incident_is_Reported_at_version_1_with_one_timeline_entry_and_an_IncidentReported_event()
    {
        var now = _time.GetUtcNow();
        var requestId = Guid.NewGuid();

        var incident = Incident.File(requestId, "KR-CN", "CN", Facts, KoreanOfficer, now);

        Assert.Equal(IncidentStatus.Reported, incident.Status);
        Assert.Equal(1, incident.Version);
        Assert.Equal(requestId, incident.RequestId);
        Assert.Equal("KR", incident.ReportingParty);
        Assert.Equal("CN", incident.CounterpartParty);
        Assert.Equal(now, incident.ReportedAt);
        var entry = Assert.Single(incident.Timeline);
        AssertEntry(entry, TimelineEntryKind.Reported, null, "Reported", KoreanOfficer, now);
        Assert.Equal(incident.Id, entry.IncidentId);
        var reported = Assert.IsType<IncidentReported>(Assert.Single(incident.Events));
        Assert.Equal(incident.Id, reported.IncidentId);
        Assert.Equal(1, reported.Version);
        Assert.Equal("KR-CN", reported.Channel);
        Assert.Equal(Visibility.Shared, reported.Visibility);
        Assert.Equal("KR", reported.ActingParty);
        Assert.Equal("kr-officer-1", reported.ActingUser);
        Assert.Equal("KR", reported.ReportingParty);
        Assert.Equal(now, reported.OccurredAt);
        Assert.Equal(Severity.Sev2, reported.Severity);
        Assert.Equal(["Dy", "Tb"], reported.Minerals);
        Assert.Equal(["280530"], reported.HsCodes);
        Assert.Equal(["permanent-magnets"], reported.Sectors);
    }

    [Fact]
    public void The_counterpart_acknowledges_a_reported_incident()
    {
        var incident = Reported();
        var now = Later();

        var (entry, @event) = AssertOneChange(incident, () => incident.Acknowledge(ChineseOfficer, now));

        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Equal(now, incident.AcknowledgedAt);
        Assert.Equal("cn-officer-1", incident.AcknowledgedBy);
        Assert.Equal(now, incident.LastChangedAt);
        AssertEntry(entry, TimelineEntryKind.Acknowledged, "Reported", "Acknowledged", ChineseOfficer, now);
        Assert.Equal(
            new IncidentAcknowledged(incident.Id, 2, "KR-CN", Visibility.Shared, "CN", "cn-officer-1", now, "KR"),
            Assert.IsType<IncidentAcknowledged>(@event));
    }

    [Theory]
    [InlineData(IncidentStatus.Acknowledged, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Acknowledged, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Acknowledged, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.UnderReview, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.UnderReview, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Mitigating, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Mitigating, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Closed)]
    public void A_working_move_changes_the_status_and_records_who_moved_it_and_why(IncidentStatus from, IncidentStatus to)
    {
        var incident = In(from);
        var version = incident.Version;
        var now = Later();

        var (entry, @event) = AssertOneChange(incident, () => incident.MoveTo(to, "Licences issued for two of three makers.", KoreanOfficer, now));

        Assert.Equal(to, incident.Status);
        Assert.Equal(now, incident.LastChangedAt);
        AssertEntry(entry, TimelineEntryKind.StatusChanged, from.ToString(), to.ToString(), KoreanOfficer, now, "Licences issued for two of three makers.");
        Assert.Equal(
            new IncidentStatusChanged(incident.Id, version + 1, "KR-CN", Visibility.Shared, "KR", "kr-officer-1", now, from, to, "Licences issued for two of three makers."),
            Assert.IsType<IncidentStatusChanged>(@event));
    }

    [Fact]
    public void Every_step_of_the_lifecycle_from_Reported_to_Closed_counts_one_version_and_raises_its_event()
    {
        var incident = Reported();

        incident.Acknowledge(ChineseOfficer, Later());
        incident.MoveTo(IncidentStatus.UnderReview, null, ChineseOfficer, Later());
        incident.MoveTo(IncidentStatus.Mitigating, null, ChineseOfficer, Later());
        incident.MoveTo(IncidentStatus.Resolved, null, KoreanOfficer, Later());
        incident.MoveTo(IncidentStatus.Closed, null, KoreanOfficer, Later());

        Assert.Equal(IncidentStatus.Closed, incident.Status);
        Assert.Equal(6, incident.Version);
        Assert.Equal(
            [typeof(IncidentReported), typeof(IncidentAcknowledged), typeof(IncidentStatusChanged), typeof(IncidentStatusChanged), typeof(IncidentStatusChanged), typeof(IncidentStatusChanged)],
            incident.Events.Select(e => e.GetType()));
        Assert.Equal([1, 2, 3, 4, 5, 6], incident.Events.Select(VersionOf));
        Assert.Equal(
            [TimelineEntryKind.Reported, TimelineEntryKind.Acknowledged, TimelineEntryKind.StatusChanged, TimelineEntryKind.StatusChanged, TimelineEntryKind.StatusChanged, TimelineEntryKind.StatusChanged],
            incident.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public void Resolving_records_when_and_reopening_forgets_it()
    {
        var incident = In(IncidentStatus.Mitigating);
        var resolvedAt = Later();

        incident.MoveTo(IncidentStatus.Resolved, null, KoreanOfficer, resolvedAt);
        Assert.Equal(resolvedAt, incident.ResolvedAt);

        incident.Reopen("The quota was cut again.", KoreanOfficer, Later());
        Assert.Null(incident.ResolvedAt);
    }

    [Fact]
    public void The_reporter_withdraws_an_incident_before_it_is_acknowledged()
    {
        var incident = Reported();
        var now = Later();

        var (entry, @event) = AssertOneChange(incident, () => incident.Withdraw("Filed on the wrong channel.", KoreanOfficer, now));

        Assert.Equal(IncidentStatus.Withdrawn, incident.Status);
        Assert.Equal(2, incident.Version);
        AssertEntry(entry, TimelineEntryKind.Withdrawn, "Reported", "Withdrawn", KoreanOfficer, now, "Filed on the wrong channel.");
        Assert.Equal(
            new IncidentStatusChanged(incident.Id, 2, "KR-CN", Visibility.Shared, "KR", "kr-officer-1", now, IncidentStatus.Reported, IncidentStatus.Withdrawn, "Filed on the wrong channel."),
            Assert.IsType<IncidentStatusChanged>(@event));
    }

    [Theory]
    [InlineData("KR")]
    [InlineData("CN")]
    public void Either_party_reopens_a_resolved_incident_for_review(string party)
    {
        var incident = In(IncidentStatus.Resolved);
        var version = incident.Version;
        var actor = party == "KR" ? KoreanOfficer : ChineseAutomation;
        var now = Later();

        var (entry, @event) = AssertOneChange(incident, () => incident.Reopen("Shipments stopped again.", actor, now));

        Assert.Equal(IncidentStatus.UnderReview, incident.Status);
        AssertEntry(entry, TimelineEntryKind.Reopened, "Resolved", "UnderReview", actor, now, "Shipments stopped again.");
        Assert.Equal(
            new IncidentStatusChanged(incident.Id, version + 1, "KR-CN", Visibility.Shared, actor.Party, actor.UserId, now, IncidentStatus.Resolved, IncidentStatus.UnderReview, "Shipments stopped again."),
            Assert.IsType<IncidentStatusChanged>(@event));
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, Severity.Sev1)]
    [InlineData(IncidentStatus.Acknowledged, Severity.Sev3)]
    [InlineData(IncidentStatus.UnderReview, Severity.Sev1)]
    [InlineData(IncidentStatus.Mitigating, Severity.Sev4)]
    public void The_severity_of_an_open_incident_can_be_raised_or_lowered(IncidentStatus status, Severity severity)
    {
        var incident = In(status);
        var version = incident.Version;
        var now = Later();

        var (entry, @event) = AssertOneChange(incident, () => incident.ChangeSeverity(severity, "Two more makers affected.", ChineseOfficer, now));

        Assert.Equal(severity, incident.Severity);
        Assert.Equal(status, incident.Status);
        AssertEntry(entry, TimelineEntryKind.SeverityChanged, "Sev2", severity.ToString(), ChineseOfficer, now, "Two more makers affected.");
        Assert.Equal(
            new IncidentSeverityChanged(incident.Id, version + 1, "KR-CN", Visibility.Shared, "CN", "cn-officer-1", now, Severity.Sev2, severity, "Two more makers affected."),
            Assert.IsType<IncidentSeverityChanged>(@event));
    }

    [Fact]
    public void An_incident_cannot_be_acknowledged_by_its_reporting_party()
    {
        var incident = Reported();
        AssertRefused(incident, () => incident.Acknowledge(KoreanOfficer, Later()), RuleViolationKind.Forbidden, "only-counterpart-may-acknowledge");
        Assert.Null(incident.AcknowledgedAt);
    }

    [Fact]
    public void The_reporting_party_is_told_it_may_not_acknowledge_even_after_the_counterpart_has()
    {
        var incident = In(IncidentStatus.Acknowledged);
        AssertRefused(incident, () => incident.Acknowledge(KoreanOfficer, Later()), RuleViolationKind.Forbidden, "only-counterpart-may-acknowledge");
    }

    [Fact]
    public void An_incident_cannot_be_withdrawn_by_the_counterpart()
    {
        var incident = Reported();
        AssertRefused(incident, () => incident.Withdraw("Not our problem.", ChineseOfficer, Later()), RuleViolationKind.Forbidden, "only-reporter-may-withdraw");
    }

    [Fact]
    public void An_incident_cannot_be_acknowledged_twice()
    {
        var incident = In(IncidentStatus.Acknowledged);
        var acknowledgedAt = incident.AcknowledgedAt;

        AssertRefused(incident, () => incident.Acknowledge(ChineseAutomation, Later()), RuleViolationKind.Conflict, "invalid-transition");
        Assert.Equal(acknowledgedAt, incident.AcknowledgedAt);
        Assert.Equal("cn-officer-1", incident.AcknowledgedBy);
    }

    [Theory]
    [InlineData(IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Withdrawn)]
    public void Only_a_reported_incident_can_be_acknowledged(IncidentStatus status)
    {
        var incident = In(status);
        AssertRefused(incident, () => incident.Acknowledge(ChineseOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Withdrawn)]
    [InlineData(IncidentStatus.Resolved)]
    public void Once_acknowledged_or_ended_an_incident_cannot_be_withdrawn(IncidentStatus status)
    {
        var incident = In(status);
        AssertRefused(incident, () => incident.Withdraw("Too late.", KoreanOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData(IncidentStatus.Reported, IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Reported, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Reported, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Reported, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Acknowledged, IncidentStatus.Closed)]
    [InlineData(IncidentStatus.UnderReview, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Mitigating, IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Closed, IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Withdrawn, IncidentStatus.UnderReview)]
    public void A_working_move_not_in_the_lifecycle_is_an_invalid_transition(IncidentStatus from, IncidentStatus to)
    {
        var incident = In(from);
        AssertRefused(incident, () => incident.MoveTo(to, null, ChineseOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData(IncidentStatus.Reported)]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Withdrawn)]
    public void Acknowledging_and_withdrawing_cannot_be_done_as_a_working_move(IncidentStatus target)
    {
        var incident = target == IncidentStatus.Reported ? In(IncidentStatus.Acknowledged) : Reported();
        AssertRefused(incident, () => incident.MoveTo(target, null, ChineseOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData(IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Reported)]
    public void Only_a_resolved_incident_can_be_reopened(IncidentStatus status)
    {
        var incident = In(status);
        AssertRefused(incident, () => incident.Reopen("Again.", KoreanOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    [InlineData(IncidentStatus.Withdrawn)]
    public void The_severity_of_a_resolved_closed_or_withdrawn_incident_cannot_change(IncidentStatus status)
    {
        var incident = In(status);
        AssertRefused(incident, () => incident.ChangeSeverity(Severity.Sev1, null, KoreanOfficer, Later()), RuleViolationKind.Conflict, "invalid-transition");
    }

    [Fact]
    public void Changing_the_severity_to_the_one_it_has_is_refused()
    {
        var incident = In(IncidentStatus.UnderReview);
        AssertRefused(incident, () => incident.ChangeSeverity(Severity.Sev2, null, KoreanOfficer, Later()), RuleViolationKind.Conflict, "severity-unchanged");
    }

    [Fact]
    public void A_comment_appends_to_the_timeline_without_changing_the_version()
    {
        var incident = In(IncidentStatus.Acknowledged);
        var version = incident.Version;
        var lastChanged = incident.LastChangedAt;
        var entries = incident.Timeline.Count;
        var events = incident.Events.Count;
        var now = Later();

        var entry = incident.Comment("Customs in Tianjin released two containers.", Visibility.Shared, ChineseOfficer, now);

        Assert.Equal(version, incident.Version);
        Assert.Equal(lastChanged, incident.LastChangedAt);
        Assert.Equal(entries + 1, incident.Timeline.Count);
        Assert.Same(entry, incident.Timeline[^1]);
        Assert.Equal(TimelineEntryKind.Commented, entry.Kind);
        Assert.Equal("Customs in Tianjin released two containers.", entry.Text);
        Assert.Equal(Visibility.Shared, entry.Visibility);
        Assert.Equal(("cn-officer-1", "CN", ChangeSource.Api, now), (entry.ActorUserId, entry.ActorParty, entry.Source, entry.OccurredAt));
        Assert.Equal(events + 1, incident.Events.Count);
        Assert.Equal(
            new IncidentCommentAdded(incident.Id, version, "KR-CN", Visibility.Shared, "CN", "cn-officer-1", now, entry.Id, "Customs in Tianjin released two containers."),
            Assert.IsType<IncidentCommentAdded>(incident.Events[^1]));
    }

    [Fact]
    public void An_internal_comment_is_visible_only_to_its_authors_party_and_its_event_says_so()
    {
        var incident = Reported();

        var note = incident.Comment("Company names given in confidence: ...", Visibility.Internal, KoreanOfficer, Later());

        Assert.Equal(Visibility.Internal, note.Visibility);
        Assert.Contains(note, incident.TimelineFor("KR"));
        Assert.DoesNotContain(note, incident.TimelineFor("CN"));
        Assert.DoesNotContain(note, incident.TimelineFor("VN"));
        var added = Assert.IsType<IncidentCommentAdded>(incident.Events[^1]);
        Assert.Equal(Visibility.Internal, added.Visibility);
        Assert.Equal(note.Id, added.EntryId);
    }

    [Fact]
    public void A_shared_comment_and_every_change_are_visible_to_both_parties()
    {
        var incident = In(IncidentStatus.Acknowledged);
        incident.Comment("Noted.", Visibility.Shared, ChineseOfficer, Later());

        Assert.Equal(incident.Timeline, incident.TimelineFor("KR"));
        Assert.Equal(incident.Timeline, incident.TimelineFor("CN"));
    }

    [Fact]
    public void The_other_partys_internal_comments_do_not_exist_in_the_incident_as_a_reader_sees_it()
    {
        var incident = In(IncidentStatus.Acknowledged);
        var korean = incident.Comment("Our stock: 9 days.", Visibility.Internal, KoreanOfficer, Later());
        var chinese = incident.Comment("Position: licences after audit.", Visibility.Internal, ChineseOfficer, Later());

        var asKorea = incident.ToDetails("KR").Timeline.Select(e => e.Id).ToList();
        var asChina = incident.ToDetails("CN").Timeline.Select(e => e.Id).ToList();

        Assert.Contains(korean.Id, asKorea);
        Assert.DoesNotContain(chinese.Id, asKorea);
        Assert.Contains(chinese.Id, asChina);
        Assert.DoesNotContain(korean.Id, asChina);
        Assert.Equal(3, asKorea.Count);
        Assert.Equal(3, asChina.Count);
    }
}
