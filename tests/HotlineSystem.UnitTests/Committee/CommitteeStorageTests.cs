using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Committee.Signing;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>What the committee's aggregates hold survives a save and a read in a new context (SQLite, as the embedded mode).</summary>
public sealed class CommitteeStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CommitteeActor KrCoChair = new("kr-cochair", "KR");
    private static readonly CommitteeActor CnCoChair = new("cn-cochair", "CN");

    private readonly SqliteConnection _connection = new("DataSource=:memory:");

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var db = Context();
        await db.Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private CommitteeDbContext Context() =>
        new(new DbContextOptionsBuilder<CommitteeDbContext>().UseSqlite(_connection).UseSnakeCaseNamingConvention().Options);

    [Fact]
    public async Task Delegations_attendance_agreements_and_positions_are_read_back_as_saved()
    {
        var committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair), ("kr-member", DelegateRole.Alternate)], KrCoChair, Now);
        committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair)], CnCoChair, Now);
        var meeting = Meeting.Schedule(Guid.NewGuid(), committee, 1, Now.AddDays(10), Now.AddDays(7), "서울", MeetingMode.InPerson, KrCoChair, Now);
        meeting.RecordAttendance(committee, [(KrCoChair.UserId, Presence.Delegated, "kr-member"), ("kr-member", Presence.Present, null)], KrCoChair, Now);
        var incident = Guid.CreateVersion7(Now);
        var item = AgendaItem.Propose(Guid.NewGuid(), committee, meeting, new AgendaItemText("镝出口许可", "关于许可延迟的磋商", "zh-Hans", [incident]), CnCoChair, Now);
        item.Agree(committee, meeting, KrCoChair, Now.AddHours(1));
        item.RecordPosition("허가 기간 단축 요구", Visibility.Internal, committee, KrCoChair, Now.AddHours(2));
        await using (var db = Context())
        {
            db.AddRange(committee, meeting, item);
            await db.SaveChangesAsync();
        }

        await using var read = Context();
        var savedCommittee = await read.Committees.SingleAsync(c => c.Channel == "KR-CN");
        var savedMeeting = await read.Meetings.SingleAsync(m => m.CommitteeId == committee.Id && m.Number == 1);
        var savedItem = await read.AgendaItems.SingleAsync(i => i.MeetingId == meeting.Id);

        Assert.Equal(committee.Delegates, savedCommittee.Delegates);
        Assert.Equal((MeetingMode.InPerson, MeetingStatus.Planned, "서울"), (savedMeeting.Mode, savedMeeting.Status, savedMeeting.Place));
        Assert.Equal(meeting.Attendance, savedMeeting.Attendance);
        Assert.Equal([incident], savedItem.Incidents);
        Assert.True(savedItem.OnAgenda);
        Assert.Equal(["CN", "KR"], savedItem.Agreements.Select(a => a.Party));
        Assert.Equal(item.Positions, savedItem.Positions);
        Assert.Equal((3, "镝出口许可"), (savedItem.Version, savedItem.Title));
    }

    [Fact]
    public async Task Minutes_keep_their_texts_comments_agreements_and_signature_record_exactly()
    {
        var committee = JointCommittee.For(ChannelCode.Parse("KR-CN"), Now);
        committee.SetDelegation("KR", [(KrCoChair.UserId, DelegateRole.CoChair)], KrCoChair, Now);
        committee.SetDelegation("CN", [(CnCoChair.UserId, DelegateRole.CoChair)], CnCoChair, Now);
        var meeting = Meeting.Schedule(Guid.NewGuid(), committee, 1, Now.AddDays(10), Now.AddDays(7), "서울", MeetingMode.InPerson, KrCoChair, Now);
        foreach (var status in new[] { MeetingStatus.AgendaAgreed, MeetingStatus.InSession })
        {
            meeting.MoveTo(status, committee, KrCoChair, Now);
        }

        string[] languages = ["ko", "zh-Hans"];
        var minutes = HotlineSystem.Committee.Minutes.Minutes.Draft(committee, meeting, KrCoChair, Now);
        minutes.WriteText("ko", "양측은 합의하였다.\n둘째 줄", languages, committee, KrCoChair, Now);
        minutes.WriteText("zh-Hans", "双方达成一致。", languages, committee, CnCoChair, Now);
        minutes.ShareForReview(Now.AddDays(2), languages, committee, KrCoChair, Now);
        minutes.Comment("표현 확인", committee, KrCoChair, Now);
        minutes.Agree(committee, KrCoChair, Now);
        minutes.Agree(committee, CnCoChair, Now);
        using var key = PartyKey.CreateKeyPair();
        minutes.Sign(MinutesSignatures.Sign(minutes.Digest(), "KR", key, PartyKey.KeyIdOf(key)), [PartyKey.Of("KR", key)], Now, committee, KrCoChair, Now);
        await using (var db = Context())
        {
            db.AddRange(committee, meeting, minutes);
            await db.SaveChangesAsync();
        }

        await using var read = Context();
        var saved = await read.Minutes.SingleAsync(m => m.Id == minutes.Id);

        Assert.Equal(minutes.Texts, saved.Texts);
        Assert.Equal(minutes.Comments, saved.Comments);
        Assert.Equal(["KR", "CN"], saved.AgreedBy);
        Assert.Equal(minutes.Signatures, saved.Signatures);
        Assert.Equal(minutes.Record, saved.Record);
        Assert.Equal(minutes.Digest(), saved.Digest());
        Assert.Equal((MinutesStatus.Signed, minutes.Version), (saved.Status, saved.Version));
    }

    [Fact]
    public async Task A_channel_has_one_committee()
    {
        await using var db = Context();
        db.Committees.Add(JointCommittee.For(ChannelCode.Parse("KR-CN"), Now));
        db.Committees.Add(JointCommittee.For(ChannelCode.Parse("KR-CN"), Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
