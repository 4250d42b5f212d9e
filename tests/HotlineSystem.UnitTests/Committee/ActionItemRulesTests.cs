using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.ActionItems;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts.Committee;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>Action items: the owner reports, both co-chairs move the due time, the reminder and the overdue notice go out once each.</summary>
public sealed class ActionItemRulesTests
{
    private static readonly CommitteeActor KrCoChair = new("kr-cochair", "KR");
    private static readonly CommitteeActor KrMember = new("kr-member", "KR");
    private static readonly CommitteeActor CnCoChair = new("cn-cochair", "CN");
    private static readonly CommitteeActor CnMember = new("cn-member", "CN");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly JointCommittee _committee;
    private readonly Meeting _meeting;

    public ActionItemRulesTests()
    {
        _committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        _committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), (KrMember.UserId, DelegateRole.Member)], KrCoChair, Now);
        _committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair), (CnMember.UserId, DelegateRole.Member)], CnCoChair, Now);
        _meeting = Meeting.Schedule(Guid.NewGuid(), _committee, 1, Now.AddDays(1), Now, "Beijing", MeetingMode.InPerson, KrMember, Now);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>CN's member owes an answer in ten days.</summary>
    private ActionItem Assigned() =>
        ActionItem.Assign(Guid.NewGuid(), _committee, _meeting, null, "镝许可处理时限答复", CnMember.UserId, Now.AddDays(10), KrCoChair, Now);

    [Fact]
    public void A_co_chair_assigns_an_action_item_to_a_delegate_due_in_the_future()
    {
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() =>
            ActionItem.Assign(Guid.NewGuid(), _committee, _meeting, null, "x", CnMember.UserId, Now.AddDays(1), KrMember, Now)).Code);
        Assert.Equal("owner-not-a-delegate", Assert.Throws<RuleViolation>(() =>
            ActionItem.Assign(Guid.NewGuid(), _committee, _meeting, null, "x", "stranger", Now.AddDays(1), KrCoChair, Now)).Code);
        Assert.Equal("due-in-past", Assert.Throws<RuleViolation>(() =>
            ActionItem.Assign(Guid.NewGuid(), _committee, _meeting, null, "x", CnMember.UserId, Now.AddDays(-1), KrCoChair, Now)).Code);

        var item = Assigned();
        Assert.Equal(("CN", ActionItemStatus.Open, Now.AddDays(7)), (item.OwnerParty, item.Status, item.NextTimerAt));
    }

    [Fact]
    public void The_owner_party_changes_the_status_but_not_the_due_time()
    {
        var item = Assigned();

        Assert.Equal("not-owner-party", Assert.Throws<RuleViolation>(() => item.ChangeStatus(ActionItemStatus.Done, _committee, KrMember, Now)).Code);
        item.ChangeStatus(ActionItemStatus.InProgress, _committee, CnMember, Now);
        item.AddNote("已提交主管部门", _committee, CnMember, Now);
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() => item.ChangeDueDate(Now.AddDays(30), _committee, CnMember, Now)).Code);

        Assert.Equal(ActionItemStatus.InProgress, item.Status);
        Assert.Equal(Now.AddDays(10), item.DueAt);
        Assert.Single(item.Notes);
    }

    [Fact]
    public void The_due_time_moves_only_when_both_co_chairs_agree_on_it()
    {
        var item = Assigned();
        var later = Now.AddDays(30);

        item.ChangeDueDate(later, _committee, KrCoChair, Now);
        Assert.Equal(Now.AddDays(10), item.DueAt);
        item.ChangeDueDate(later, _committee, KrCoChair, Now); // the same party again: still a proposal
        Assert.Equal(Now.AddDays(10), item.DueAt);
        item.ChangeDueDate(later, _committee, CnCoChair, Now);

        Assert.Equal(later, item.DueAt);
        Assert.Null(item.ProposedDueAt);
        Assert.Equal(later.AddDays(-3), item.NextTimerAt);
        Assert.IsType<ActionItemDueDateChanged>(item.Events.Last());
    }

    [Fact]
    public void The_reminder_and_the_overdue_notice_go_out_once_each()
    {
        var item = Assigned();

        _time.SetUtcNow(item.NextTimerAt!.Value);
        item.OnDue(Now);
        var afterReminder = item.Events.OfType<ActionItemDue>().Count();
        Assert.Equal(item.DueAt, item.NextTimerAt);
        _time.SetUtcNow(item.DueAt.AddMinutes(1));
        item.OnDue(Now);
        item.OnDue(Now.AddHours(1));

        Assert.Equal(1, afterReminder);
        Assert.Single(item.Events.OfType<ActionItemDue>());
        Assert.Single(item.Events.OfType<ActionItemOverdue>());
        Assert.Null(item.NextTimerAt);
    }

    [Fact]
    public void A_closed_item_is_neither_reminded_nor_overdue()
    {
        var item = Assigned();
        item.ChangeStatus(ActionItemStatus.Done, _committee, CnCoChair, Now);

        item.OnDue(Now.AddDays(20));

        Assert.Null(item.NextTimerAt);
        Assert.Empty(item.Events.OfType<ActionItemDue>());
        Assert.Empty(item.Events.OfType<ActionItemOverdue>());
        Assert.Equal("invalid-transition", Assert.Throws<RuleViolation>(() => item.ChangeStatus(ActionItemStatus.InProgress, _committee, CnMember, Now)).Code);
    }

    [Fact]
    public void An_item_first_seen_after_its_due_time_is_overdue_without_a_late_reminder()
    {
        var item = Assigned();

        item.OnDue(item.DueAt.AddDays(1));

        Assert.Empty(item.Events.OfType<ActionItemDue>());
        Assert.Single(item.Events.OfType<ActionItemOverdue>());
    }
}
