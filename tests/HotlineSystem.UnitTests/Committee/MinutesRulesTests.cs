using System.Security.Cryptography;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Committee.Signing;
using HotlineSystem.Contracts.Committee;
using Microsoft.Extensions.Time.Testing;
using CommitteeMinutes = HotlineSystem.Committee.Minutes.Minutes;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>
/// Minutes both co-chairs sign with their own party's key: review, agreement, a signature that covers
/// the exact texts, a change that voids it, and locked minutes that change no more.
/// </summary>
public sealed class MinutesRulesTests : IDisposable
{
    private static readonly CommitteeActor KrCoChair = new("kr-cochair", "KR");
    private static readonly CommitteeActor KrMember = new("kr-member", "KR");
    private static readonly CommitteeActor CnCoChair = new("cn-cochair", "CN");
    private static readonly CommitteeActor CnMember = new("cn-member", "CN");
    private static readonly string[] Languages = ["ko", "zh-Hans"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 20, 0, 0, 0, TimeSpan.Zero));
    private readonly ECDsa _krKey = PartyKey.CreateKeyPair();
    private readonly ECDsa _cnKey = PartyKey.CreateKeyPair();
    private readonly JointCommittee _committee;
    private readonly Meeting _meeting;

    public MinutesRulesTests()
    {
        _committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        _committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), (KrMember.UserId, DelegateRole.Member)], KrCoChair, Now);
        _committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair), (CnMember.UserId, DelegateRole.Member)], CnCoChair, Now);
        _meeting = Meeting.Schedule(Guid.NewGuid(), _committee, 1, Now.AddDays(1), Now, "Seoul", MeetingMode.InPerson, KrMember, Now);
        _time.Advance(TimeSpan.FromDays(1));
        foreach (var status in new[] { MeetingStatus.AgendaAgreed, MeetingStatus.InSession, MeetingStatus.Concluded })
        {
            _meeting.MoveTo(status, _committee, KrCoChair, Now);
        }
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private IReadOnlyList<PartyKey> Keys => [PartyKey.Of("KR", _krKey), PartyKey.Of("CN", _cnKey)];

    public void Dispose()
    {
        _krKey.Dispose();
        _cnKey.Dispose();
    }

    private CommitteeMinutes Shared()
    {
        var minutes = CommitteeMinutes.Draft(_committee, _meeting, KrMember, Now);
        minutes.WriteText("ko", "1. 양측은 디스프로슘 수출 허가 절차를 논의하였다.", Languages, _committee, KrMember, Now);
        minutes.WriteText("zh-Hans", "1. 双方讨论了镝出口许可程序。", Languages, _committee, CnMember, Now);
        minutes.WriteText("en", "1. The sides discussed dysprosium export licensing.", Languages, _committee, KrMember, Now);
        minutes.ShareForReview(Now.AddDays(3), Languages, _committee, KrCoChair, Now);
        return minutes;
    }

    private CommitteeMinutes Agreed()
    {
        var minutes = Shared();
        minutes.Agree(_committee, KrCoChair, Now);
        minutes.Agree(_committee, CnCoChair, Now);
        return minutes;
    }

    private byte[] SignedBy(CommitteeMinutes minutes, string party, ECDsa key) =>
        minutes.Record is null
            ? MinutesSignatures.Sign(minutes.Digest(), party, key, PartyKey.KeyIdOf(key))
            : MinutesSignatures.AddSignature(minutes.Record, party, key, PartyKey.KeyIdOf(key));

    [Fact]
    public void Minutes_are_drafted_for_a_meeting_held_and_shared_only_with_every_partys_text()
    {
        var planned = Meeting.Schedule(Guid.NewGuid(), _committee, 2, Now.AddDays(9), Now.AddDays(2), "Beijing", MeetingMode.Video, KrMember, Now);
        var minutes = CommitteeMinutes.Draft(_committee, _meeting, KrMember, Now);
        minutes.WriteText("ko", "한국어 본문", Languages, _committee, KrMember, Now);

        Assert.Equal("meeting-not-held", Assert.Throws<RuleViolation>(() => CommitteeMinutes.Draft(_committee, planned, KrMember, Now)).Code);
        Assert.Equal("text-missing", Assert.Throws<RuleViolation>(() => minutes.ShareForReview(Now.AddDays(1), Languages, _committee, KrCoChair, Now)).Code);
        Assert.Equal("unknown-language", Assert.Throws<RuleViolation>(() => minutes.WriteText("vi", "x", Languages, _committee, KrMember, Now)).Code);
        Assert.Equal(MinutesStatus.Draft, minutes.Status);
    }

    [Fact]
    public void The_English_reference_is_not_authentic_and_both_parties_agree_before_anyone_signs()
    {
        var minutes = Shared();
        var early = Assert.Throws<RuleViolation>(() => minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrCoChair, Now));
        minutes.Agree(_committee, KrCoChair, Now);

        Assert.Equal("not-agreed", early.Code);
        Assert.False(minutes.Digest().TextIn("en")!.Authentic);
        Assert.True(minutes.Digest().TextIn("ko")!.Authentic);
        Assert.Equal(MinutesStatus.SharedForReview, minutes.Status);
        Assert.Equal("not-co-chair", Assert.Throws<RuleViolation>(() => minutes.Agree(_committee, CnMember, Now)).Code);
        minutes.Agree(_committee, CnCoChair, Now);
        Assert.Equal(MinutesStatus.Agreed, minutes.Status);
    }

    [Fact]
    public void Each_co_chair_signs_with_their_own_partys_key_and_both_signatures_lock_the_minutes()
    {
        var minutes = Agreed();

        minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrCoChair, Now);
        Assert.Equal(MinutesStatus.Signed, minutes.Status);
        minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, CnCoChair, Now);

        Assert.Equal(MinutesStatus.Locked, minutes.Status);
        var verified = MinutesSignatures.Verify(minutes.Record!, Keys, minutes.Digest());
        Assert.True(verified.Holds);
        Assert.True(verified.IsSignedBy("KR") && verified.IsSignedBy("CN"));
        Assert.Equal(["KR", "CN"], minutes.Signatures.Select(s => s.Party));
    }

    [Fact]
    public void Only_a_co_chair_with_a_fresh_second_factor_signs_and_only_with_their_own_partys_key()
    {
        var minutes = Agreed();

        var member = Assert.Throws<RuleViolation>(() => minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrMember, Now));
        var stale = Assert.Throws<RuleViolation>(() =>
            minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now - FreshSecondFactor.Window - TimeSpan.FromSeconds(1), _committee, KrCoChair, Now));
        var none = Assert.Throws<RuleViolation>(() => minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, null, _committee, KrCoChair, Now));
        // CN's key, the record naming KR: a signature "of KR" made with the other party's key.
        var otherKey = Assert.Throws<RuleViolation>(() =>
            minutes.Sign(MinutesSignatures.Sign(minutes.Digest(), "KR", _cnKey, PartyKey.KeyIdOf(_cnKey)), Keys, Now, _committee, KrCoChair, Now));
        // KR's co-chair handing in a record that CN signed.
        var forTheOther = Assert.Throws<RuleViolation>(() => minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, KrCoChair, Now));

        Assert.Equal(("not-co-chair", "second-factor-required", "second-factor-required"), (member.Code, stale.Code, none.Code));
        Assert.Equal(("signature-invalid", "signature-invalid"), (otherKey.Code, forTheOther.Code));
        Assert.Equal(MinutesStatus.Agreed, minutes.Status);
        Assert.Null(minutes.Record);
    }

    [Fact]
    public void One_character_changed_after_the_first_signature_voids_it_and_the_second_waits_for_both_to_agree_again()
    {
        var minutes = Agreed();
        minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrCoChair, Now);
        var firstRecord = minutes.Record!;

        minutes.WriteText("zh-Hans", "1. 双方讨论了镝出口许可程序!", Languages, _committee, CnMember, Now);

        Assert.False(MinutesSignatures.Verify(firstRecord, Keys, minutes.Digest()).ContentMatches);
        Assert.Equal(MinutesStatus.SharedForReview, minutes.Status);
        Assert.Empty(minutes.Signatures);
        Assert.Equal("not-agreed", Assert.Throws<RuleViolation>(() =>
            minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, CnCoChair, Now)).Code);
        minutes.Agree(_committee, KrCoChair, Now);
        minutes.Agree(_committee, CnCoChair, Now);
        minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, CnCoChair, Now);
        Assert.Equal(MinutesStatus.Signed, minutes.Status);
    }

    [Fact]
    public void Locked_minutes_refuse_every_change_and_are_corrected_by_a_new_record_naming_them()
    {
        var minutes = Agreed();
        minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrCoChair, Now);
        minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, CnCoChair, Now);
        var version = minutes.Version;

        Assert.Equal("minutes-locked", Assert.Throws<RuleViolation>(() => minutes.WriteText("ko", "수정", Languages, _committee, KrMember, Now)).Code);
        Assert.Equal("minutes-locked", Assert.Throws<RuleViolation>(() => minutes.Agree(_committee, KrCoChair, Now)).Code);
        Assert.Equal("minutes-locked", Assert.Throws<RuleViolation>(() => minutes.Sign(minutes.Record!, Keys, Now, _committee, KrCoChair, Now)).Code);
        Assert.Equal("minutes-locked", Assert.Throws<RuleViolation>(() => minutes.Comment("늦은 의견", _committee, KrMember, Now)).Code);
        Assert.Equal(version, minutes.Version);

        var correction = minutes.Correct(_committee, _meeting, KrMember, Now);
        Assert.Equal((minutes.Id, MinutesStatus.Draft), (correction.CorrectionOf, correction.Status));
        Assert.Equal(minutes.Texts.Select(t => t.Text), correction.Texts.Select(t => t.Text));
    }

    [Fact]
    public void Signed_minutes_are_released_only_when_both_parties_agree()
    {
        var minutes = Agreed();
        Assert.Equal("not-locked", Assert.Throws<RuleViolation>(() => minutes.AgreeToRelease(_committee, KrCoChair, Now)).Code);
        minutes.Sign(SignedBy(minutes, "KR", _krKey), Keys, Now, _committee, KrCoChair, Now);
        minutes.Sign(SignedBy(minutes, "CN", _cnKey), Keys, Now, _committee, CnCoChair, Now);

        minutes.AgreeToRelease(_committee, KrCoChair, Now);
        Assert.False(minutes.Released);
        minutes.AgreeToRelease(_committee, CnCoChair, Now);
        Assert.True(minutes.Released);
    }

    [Fact]
    public void A_delegation_corrects_only_its_own_remarks_and_only_within_the_review_window()
    {
        var minutes = Shared();
        var remark = minutes.Comment("2항의 표현을 확인 바랍니다", _committee, KrMember, Now);

        Assert.Equal("not-your-comment", Assert.Throws<RuleViolation>(() => minutes.CorrectComment(remark.Id, "改", _committee, CnMember, Now)).Code);
        minutes.CorrectComment(remark.Id, "2항의 표현을 확인해 주십시오", _committee, KrCoChair, Now);
        _time.Advance(TimeSpan.FromDays(4));
        Assert.Equal("review-closed", Assert.Throws<RuleViolation>(() => minutes.CorrectComment(remark.Id, "늦음", _committee, KrMember, Now)).Code);
        Assert.Equal("2항의 표현을 확인해 주십시오", Assert.Single(minutes.Comments).Text);
    }
}
