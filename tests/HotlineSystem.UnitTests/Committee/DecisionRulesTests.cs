using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Decisions;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts.Committee;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>Decisions: recorded by a co-chair at a meeting held, numbered by year, each party's domestic approval settled by its own co-chair.</summary>
public sealed class DecisionRulesTests
{
    private static readonly CommitteeActor KrCoChair = new("kr-cochair", "KR");
    private static readonly CommitteeActor KrMember = new("kr-member", "KR");
    private static readonly CommitteeActor CnCoChair = new("cn-cochair", "CN");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly JointCommittee _committee;
    private readonly Meeting _meeting;

    public DecisionRulesTests()
    {
        _committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        _committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), (KrMember.UserId, DelegateRole.Member)], KrCoChair, Now);
        _committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair)], CnCoChair, Now);
        _meeting = Meeting.Schedule(Guid.NewGuid(), _committee, 1, Now.AddDays(1), Now, "Seoul", MeetingMode.InPerson, KrMember, Now);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    private void Hold()
    {
        _time.Advance(TimeSpan.FromDays(1));
        _meeting.MoveTo(MeetingStatus.AgendaAgreed, _committee, KrCoChair, Now);
        _meeting.MoveTo(MeetingStatus.InSession, _committee, KrCoChair, Now);
    }

    private Decision Recorded(params string[] needsApprovalOf) =>
        Decision.Record(Guid.NewGuid(), _committee, _meeting, 3, "디스프로슘 수출 허가 신속 처리", "双方同意在十个工作日内处理镝出口许可申请。", [], needsApprovalOf, KrCoChair, Now);

    [Fact]
    public void A_co_chair_records_a_decision_at_a_meeting_held_under_the_committee_year_and_number()
    {
        Assert.Equal("meeting-not-held", Assert.Throws<RuleViolation>(() => Recorded()).Code);
        Hold();
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() =>
            Decision.Record(Guid.NewGuid(), _committee, _meeting, 1, "t", "x", [], [], KrMember, Now)).Code);
        Assert.Equal("not-a-party", Assert.Throws<RuleViolation>(() => Recorded("VN")).Code);

        var decision = Recorded("CN");

        Assert.Equal("KR-CN/2027/3", decision.Number);
        Assert.Equal(
            [new PartyApproval("KR", DomesticApproval.NotNeeded, null, null), new PartyApproval("CN", DomesticApproval.Needed, null, null)],
            decision.Approvals);
        var recorded = Assert.IsType<DecisionRecorded>(Assert.Single(decision.Events));
        Assert.Equal("KR-CN/2027/3", recorded.Number);
        Assert.Equal(["CN"], recorded.NeedsApprovalOf);
    }

    [Fact]
    public void Only_a_party_s_own_co_chair_settles_its_pending_domestic_approval_and_only_once()
    {
        Hold();
        var decision = Recorded("CN");

        Assert.Equal("approval-not-pending", Assert.Throws<RuleViolation>(() =>
            decision.RecordDomesticApproval(DomesticApproval.Approved, Today, _committee, KrCoChair, Now)).Code);
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() =>
            decision.RecordDomesticApproval(DomesticApproval.Approved, Today, _committee, KrMember, Now)).Code);
        Assert.Equal("approval-date-out-of-range", Assert.Throws<RuleViolation>(() =>
            decision.RecordDomesticApproval(DomesticApproval.Approved, Today.AddDays(5), _committee, CnCoChair, Now)).Code);
        Assert.Equal("approval-date-out-of-range", Assert.Throws<RuleViolation>(() =>
            decision.RecordDomesticApproval(DomesticApproval.Approved, Today.AddDays(-30), _committee, CnCoChair, Now)).Code);

        _time.Advance(TimeSpan.FromDays(20));
        decision.RecordDomesticApproval(DomesticApproval.Refused, Today, _committee, CnCoChair, Now);

        Assert.Equal(new PartyApproval("CN", DomesticApproval.Refused, Today, CnCoChair.UserId), decision.Approvals[1]);
        Assert.Equal(2, decision.Version);
        Assert.Equal("approval-not-pending", Assert.Throws<RuleViolation>(() =>
            decision.RecordDomesticApproval(DomesticApproval.Approved, Today, _committee, CnCoChair, Now)).Code);
    }
}
