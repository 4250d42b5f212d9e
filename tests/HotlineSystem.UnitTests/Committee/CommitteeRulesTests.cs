using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>The joint committee's rules: delegations, meetings, and an agenda both parties agree.</summary>
public sealed class CommitteeRulesTests
{
    private static readonly CommitteeActor KrCoChair = new("kr-cochair", "KR");
    private static readonly CommitteeActor KrMember = new("kr-member", "KR");
    private static readonly CommitteeActor CnCoChair = new("cn-cochair", "CN");
    private static readonly CommitteeActor CnMember = new("cn-member", "CN");
    private static readonly CommitteeActor KrStranger = new("kr-stranger", "KR");

    private static readonly AgendaItemText Text = new("희토류 수출 허가 지연", "디스프로슘 허가 지연에 관한 협의", "ko", []);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    private JointCommittee Committee()
    {
        var committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), (KrMember.UserId, DelegateRole.Member)], KrCoChair, Now);
        committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair), (CnMember.UserId, DelegateRole.Alternate)], CnCoChair, Now);
        return committee;
    }

    /// <summary>A meeting in ten days whose agenda closes in a week.</summary>
    private Meeting Planned(JointCommittee committee, int number = 1) =>
        Meeting.Schedule(Guid.NewGuid(), committee, number, Now.AddDays(10), Now.AddDays(7), "Seoul", MeetingMode.InPerson, KrMember, Now);

    [Fact]
    public void A_delegation_has_exactly_one_co_chair()
    {
        var committee = Committee();

        var two = Assert.Throws<RuleViolation>(() =>
            committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), (KrMember.UserId, DelegateRole.CoChair)], KrCoChair, Now));
        var none = Assert.Throws<RuleViolation>(() => committee.SetDelegation("KR", [(KrMember.UserId, DelegateRole.Member)], KrCoChair, Now));

        Assert.Equal(("one-co-chair", "one-co-chair"), (two.Code, none.Code));
        Assert.Equal(KrCoChair.UserId, committee.CoChairOf("KR")!.UserId);
    }

    [Fact]
    public void A_party_sets_only_its_own_delegation()
    {
        var committee = Committee();

        var refusal = Assert.Throws<RuleViolation>(() => committee.SetDelegation("CN", [(KrMember.UserId, DelegateRole.CoChair)], KrCoChair, Now));

        Assert.Equal("not-your-delegation", refusal.Code);
        Assert.Equal(CnCoChair.UserId, committee.CoChairOf("CN")!.UserId);
    }

    [Fact]
    public void Each_delegation_change_is_announced_with_its_co_chair()
    {
        var committee = Committee();

        var changes = committee.Events.OfType<CommitteeDelegationChanged>().ToList();

        Assert.Equal(["KR", "CN"], changes.Select(c => c.Party));
        Assert.Equal([KrCoChair.UserId, CnCoChair.UserId], changes.Select(c => c.CoChair));
        Assert.Equal([1, 2], changes.Select(c => c.Version));
    }

    [Fact]
    public void A_meeting_is_scheduled_in_the_future_with_its_cut_off_before_it_by_a_delegate()
    {
        var committee = Committee();

        var past = Assert.Throws<RuleViolation>(() =>
            Meeting.Schedule(Guid.NewGuid(), committee, 1, Now.AddMinutes(-1), Now.AddMinutes(-2), "Beijing", MeetingMode.Video, KrMember, Now));
        var cutoff = Assert.Throws<RuleViolation>(() =>
            Meeting.Schedule(Guid.NewGuid(), committee, 1, Now.AddDays(1), Now.AddDays(2), "Beijing", MeetingMode.Video, KrMember, Now));
        var stranger = Assert.Throws<RuleViolation>(() =>
            Meeting.Schedule(Guid.NewGuid(), committee, 1, Now.AddDays(2), Now.AddDays(1), "Beijing", MeetingMode.Video, KrStranger, Now));

        Assert.Equal(["meeting-in-past", "cutoff-after-start", "not-a-delegate"], new[] { past.Code, cutoff.Code, stranger.Code });
        Assert.Equal(MeetingStatus.Planned, Planned(committee).Status);
    }

    [Fact]
    public void A_meeting_moves_one_step_at_a_time_by_a_co_chair_and_its_minutes_sign_it_off()
    {
        var committee = Committee();
        var meeting = Planned(committee);

        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() => meeting.MoveTo(MeetingStatus.AgendaAgreed, committee, KrMember, Now)).Code);
        Assert.Equal("invalid-transition", Assert.Throws<RuleViolation>(() => meeting.MoveTo(MeetingStatus.InSession, committee, KrCoChair, Now)).Code);
        meeting.MoveTo(MeetingStatus.AgendaAgreed, committee, KrCoChair, Now);
        meeting.MoveTo(MeetingStatus.InSession, committee, CnCoChair, Now);
        meeting.MoveTo(MeetingStatus.Concluded, committee, KrCoChair, Now);

        Assert.Equal("minutes-not-signed", Assert.Throws<RuleViolation>(() => meeting.MoveTo(MeetingStatus.MinutesSigned, committee, KrCoChair, Now)).Code);
        Assert.Equal(MeetingStatus.Concluded, meeting.Status);
        Assert.Equal(
            [MeetingStatus.AgendaAgreed, MeetingStatus.InSession, MeetingStatus.Concluded],
            meeting.Events.OfType<MeetingStatusChanged>().Select(e => e.NewStatus));
    }

    [Fact]
    public void Attendance_names_only_the_partys_own_delegates()
    {
        var committee = Committee();
        var meeting = Planned(committee);

        var outsider = Assert.Throws<RuleViolation>(() => meeting.RecordAttendance(committee, [(CnMember.UserId, Presence.Present, null)], KrMember, Now));
        var badDelegation = Assert.Throws<RuleViolation>(() =>
            meeting.RecordAttendance(committee, [(KrCoChair.UserId, Presence.Delegated, CnCoChair.UserId)], KrMember, Now));
        meeting.RecordAttendance(committee, [(KrCoChair.UserId, Presence.Delegated, KrMember.UserId), (KrMember.UserId, Presence.Present, null)], KrMember, Now);

        Assert.Equal(("not-a-delegate", "invalid-delegation"), (outsider.Code, badDelegation.Code));
        Assert.Equal([Presence.Delegated, Presence.Present], meeting.Attendance.Select(a => a.Presence));
    }

    [Fact]
    public void One_party_alone_cannot_put_an_item_on_the_agenda()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);

        var again = Assert.Throws<RuleViolation>(() => item.Agree(committee, meeting, KrCoChair, Now));

        Assert.Equal("already-agreed", again.Code);
        Assert.False(item.OnAgenda);
    }

    [Fact]
    public void Before_the_cut_off_the_other_partys_agreement_puts_the_item_on_the_agenda()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);

        _time.Advance(TimeSpan.FromDays(6));
        item.Agree(committee, meeting, CnMember, Now);

        Assert.True(item.OnAgenda);
        Assert.True(item.Events.OfType<AgendaItemAgreed>().Single().OnAgenda);
    }

    [Fact]
    public void After_the_cut_off_an_item_needs_both_parties_to_agree_anew()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var early = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);
        _time.Advance(TimeSpan.FromDays(8)); // past the cut-off, before the meeting
        var late = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text with { Title = "Late item" }, KrMember, Now);

        early.Agree(committee, meeting, CnMember, Now);
        late.Agree(committee, meeting, CnMember, Now);

        Assert.False(early.OnAgenda); // Korea's agreement by proposing was before the cut-off
        Assert.False(late.OnAgenda);
        early.Agree(committee, meeting, KrCoChair, Now);
        late.Agree(committee, meeting, KrMember, Now);
        Assert.True(early.OnAgenda);
        Assert.True(late.OnAgenda);
    }

    [Fact]
    public void A_refused_agreement_leaves_the_item_as_it_was()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);
        item.Agree(committee, meeting, CnMember, Now);
        var agreed = item.Agreements.ToList();
        _time.Advance(TimeSpan.FromDays(8)); // past the cut-off

        Assert.Equal("already-on-agenda", Assert.Throws<RuleViolation>(() => item.Agree(committee, meeting, KrCoChair, Now)).Code);
        Assert.Equal(agreed, item.Agreements);
        Assert.Equal(2, item.Version);

        var late = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text with { Title = "Late item" }, KrMember, Now);
        late.Agree(committee, meeting, KrMember, Now);
        var versionBefore = late.Version;
        Assert.Equal("already-agreed", Assert.Throws<RuleViolation>(() => late.Agree(committee, meeting, KrCoChair, Now)).Code);
        Assert.Equal((versionBefore, 1), (late.Version, late.Agreements.Count));
    }

    [Fact]
    public void A_concluded_meeting_takes_no_more_items()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        meeting.MoveTo(MeetingStatus.AgendaAgreed, committee, KrCoChair, Now);
        meeting.MoveTo(MeetingStatus.InSession, committee, KrCoChair, Now);
        meeting.MoveTo(MeetingStatus.Concluded, committee, KrCoChair, Now);

        Assert.Equal("meeting-concluded", Assert.Throws<RuleViolation>(() => AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now)).Code);
    }

    [Fact]
    public void A_carried_over_item_keeps_its_lineage_and_waits_for_agreement_again()
    {
        var committee = Committee();
        var first = Planned(committee, number: 1);
        var second = Meeting.Schedule(Guid.NewGuid(), committee, 2, Now.AddDays(40), Now.AddDays(30), "Beijing", MeetingMode.Video, CnMember, Now);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, first, Text, KrMember, Now);
        item.Agree(committee, first, CnMember, Now);

        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() => item.CarryOver(committee, first, second, KrMember, Now)).Code);
        Assert.Equal("not-a-later-meeting", Assert.Throws<RuleViolation>(() => item.CarryOver(committee, second, first, KrCoChair, Now)).Code);
        var next = item.CarryOver(committee, first, second, CnCoChair, Now);

        Assert.Equal((item.Id, next.Id), (next.CarriedOverFrom!.Value, item.CarriedOverTo!.Value));
        Assert.Equal(AgendaItemStatus.Deferred, item.Status);
        Assert.Equal((second.Id, Text.Title, "CN"), (next.MeetingId, next.Title, next.ProposingParty));
        Assert.False(next.OnAgenda);
        Assert.Equal("not-carried-over", Assert.Throws<RuleViolation>(() => item.CarryOver(committee, first, second, CnCoChair, Now)).Code);
    }

    [Fact]
    public void Only_the_proposing_party_withdraws_and_a_withdrawn_item_stays_withdrawn()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);

        Assert.Equal("not-your-item", Assert.Throws<RuleViolation>(() => item.Withdraw(committee, CnCoChair, Now)).Code);
        item.Withdraw(committee, KrMember, Now);

        Assert.Equal(AgendaItemStatus.Withdrawn, item.Status);
        Assert.Equal("item-not-open", Assert.Throws<RuleViolation>(() => item.Agree(committee, meeting, CnMember, Now)).Code);
    }

    [Fact]
    public void A_co_chair_records_the_joint_status_of_an_item_on_the_agenda_only()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);

        Assert.Equal("not-on-agenda", Assert.Throws<RuleViolation>(() => item.Record(AgendaItemStatus.Discussed, committee, KrCoChair, Now)).Code);
        item.Agree(committee, meeting, CnMember, Now);
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() => item.Record(AgendaItemStatus.Discussed, committee, CnMember, Now)).Code);
        item.Record(AgendaItemStatus.Resolved, committee, CnCoChair, Now);

        Assert.Equal(AgendaItemStatus.Resolved, item.Status);
        Assert.Equal("invalid-transition", Assert.Throws<RuleViolation>(() => item.Record(AgendaItemStatus.Deferred, committee, CnCoChair, Now)).Code);
    }

    [Fact]
    public void A_partys_internal_position_is_read_by_that_party_alone_and_its_event_goes_to_it_alone()
    {
        var committee = Committee();
        var meeting = Planned(committee);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, Text, KrMember, Now);

        item.RecordPosition("수출 허가 절차의 단축을 요구한다", Visibility.Internal, committee, KrMember, Now);
        item.RecordPosition("We will review licences weekly.", Visibility.Shared, committee, CnMember, Now);

        Assert.Equal(["KR", "CN"], item.PositionsReadBy("KR").Select(p => p.Party));
        Assert.Equal(["CN"], item.PositionsReadBy("CN").Select(p => p.Party));
        var recorded = item.Events.OfType<AgendaPositionRecorded>().ToList();
        Assert.Equal([["KR"], ["KR", "CN"]], recorded.Select(e => ReadAccess.Readers(e)));
    }
}
