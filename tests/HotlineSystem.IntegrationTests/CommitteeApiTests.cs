using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Committee.ActionItems;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Decisions;
using HotlineSystem.Committee.Minutes;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// One Committee host with KR–CN's committee: each party's delegation (a co-chair and a member), and a
/// KR committee member who is not on it. People and incidents reach it over the real broker.
/// </summary>
public sealed class CommitteeApiFixture : IAsyncLifetime
{
    private readonly string _suffix = $"{Guid.NewGuid():N}"[..6];
    private TestDatabase _database = null!;

    public CommitteeApp App { get; private set; } = null!;

    public string KrCoChair { get; private set; } = "";

    public string KrMember { get; private set; } = "";

    public string CnCoChair { get; private set; } = "";

    public string CnMember { get; private set; } = "";

    public string KrOutsider { get; private set; } = "";

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The host's key folder: the parties' private signing keys (ADR 0013).</summary>
    public string KeyFolder { get; } = Path.Combine(Path.GetTempPath(), $"hotline-party-keys-{Guid.NewGuid():N}");

    /// <summary>The people's names at Identity: "kr-cochair" → "kr-cochair-3fa2c1".</summary>
    public string Name(string name) => $"{name}-{_suffix}";

    public static readonly string[] CoChairRoles = [HotlineRoles.CommitteeMember, HotlineRoles.CoChair];

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("committee");
        App = new CommitteeApp(_database.ConnectionString, $"c{Guid.NewGuid():N}"[..10], new Dictionary<string, string>
        {
            ["Committee:Signing:KeyFolder"] = KeyFolder,
        }).Start();
        KrCoChair = await App.PersonAsync($"kr-cochair-{_suffix}", "KR", HotlineRoles.CommitteeMember, HotlineRoles.CoChair);
        KrMember = await App.PersonAsync($"kr-member-{_suffix}", "KR", HotlineRoles.CommitteeMember);
        CnCoChair = await App.PersonAsync($"cn-cochair-{_suffix}", "CN", HotlineRoles.CommitteeMember, HotlineRoles.CoChair);
        CnMember = await App.PersonAsync($"cn-member-{_suffix}", "CN", HotlineRoles.CommitteeMember);
        KrOutsider = await App.PersonAsync($"kr-outsider-{_suffix}", "KR", HotlineRoles.CommitteeMember);

        var version = (await CommitteeAsync(KrAdministrator())).Version;
        version = (await SetDelegationAsync(KrAdministrator(), "KR", version, (KrCoChair, "CoChair"), (KrMember, "Member"))).Version;
        await SetDelegationAsync(CnAdministrator(), "CN", version, (CnCoChair, "CoChair"), (CnMember, "Member"));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(KeyFolder))
        {
            Directory.Delete(KeyFolder, recursive: true);
        }
    }

    public HttpClient KrAdministrator() => App.ClientFor($"kr-admin-{_suffix}", "KR", HotlineRoles.Administrator);

    public HttpClient CnAdministrator() => App.ClientFor($"cn-admin-{_suffix}", "CN", HotlineRoles.Administrator);

    public HttpClient KrCoChairClient() => App.ClientFor($"kr-cochair-{_suffix}", "KR", HotlineRoles.CommitteeMember, HotlineRoles.CoChair);

    public HttpClient KrMemberClient() => App.ClientFor($"kr-member-{_suffix}", "KR", HotlineRoles.CommitteeMember);

    public HttpClient CnCoChairClient() => App.ClientFor($"cn-cochair-{_suffix}", "CN", HotlineRoles.CommitteeMember, HotlineRoles.CoChair);

    public HttpClient CnMemberClient() => App.ClientFor($"cn-member-{_suffix}", "CN", HotlineRoles.CommitteeMember);

    public HttpClient KrOutsiderClient() => App.ClientFor($"kr-outsider-{_suffix}", "KR", HotlineRoles.CommitteeMember);

    public static async Task<CommitteeDetails> CommitteeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/committees/KR-CN");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<CommitteeDetails>();
    }

    public static Task<HttpResponseMessage> PutDelegationAsync(HttpClient client, string party, int? version, params (string UserId, string Role)[] delegates)
    {
        var request = Requests.Put($"/api/committees/KR-CN/delegations/{party}", new { delegates = delegates.Select(d => new { userId = d.UserId, role = d.Role }) });
        return client.SendAsync(version is null ? request : request.WithIfMatch(version.Value));
    }

    public static async Task<CommitteeDetails> SetDelegationAsync(HttpClient client, string party, int version, params (string UserId, string Role)[] delegates)
    {
        var response = await PutDelegationAsync(client, party, version, delegates);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<CommitteeDetails>();
    }

    /// <summary>Schedules a meeting <paramref name="inDays"/> from now, its agenda cut off a week before.</summary>
    public static async Task<MeetingDetails> ScheduleAsync(HttpClient client, int inDays, Guid? requestId = null)
    {
        var response = await client.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId = requestId ?? Guid.NewGuid(),
            startsAt = DateTimeOffset.UtcNow.AddDays(inDays),
            agendaCutoff = DateTimeOffset.UtcNow.AddDays(inDays - 7),
            place = "Seoul",
            mode = "InPerson",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<MeetingDetails>();
    }

    public static async Task<AgendaItemDetails> ProposeAsync(HttpClient client, Guid meetingId, params Guid[] incidents)
    {
        var response = await client.PostAsJsonAsync($"/api/meetings/{meetingId}/agenda-items", new
        {
            requestId = Guid.NewGuid(),
            title = "디스프로슘 수출 허가 지연",
            description = "허가 처리 지연과 재고 현황.",
            incidents,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<AgendaItemDetails>();
    }

    public const string MinutesInKorean = "제3차 한중 희토류 공급망 협의체 회의록.\n디스프로슘 수출 허가 지연을 논의하였다.";
    public const string MinutesInChinese = "中韩稀土供应链磋商机制第三次会议纪要。\n双方讨论了镝出口许可延迟问题。";

    /// <summary>A meeting in session, and its minutes written in ko, zh-Hans and en and shared for review by KR's co-chair.</summary>
    public async Task<(Guid MeetingId, MinutesView Minutes)> MinutesInReviewAsync()
    {
        var coChair = KrCoChairClient();
        var meeting = await InSessionAsync(await ScheduleAsync(coChair, inDays: 10));

        var drafted = await KrMemberClient().PostAsync($"/api/meetings/{meeting.Id}/minutes", null);
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var minutes = await drafted.ReadAsync<MinutesView>();
        minutes = await WriteMinutesAsync(KrMemberClient(), minutes, "ko", MinutesInKorean);
        minutes = await WriteMinutesAsync(CnMemberClient(), minutes, "zh-Hans", MinutesInChinese);
        minutes = await WriteMinutesAsync(KrMemberClient(), minutes, "en", "Minutes of the third meeting. Reference text only.");
        var shared = await coChair.SendAsync(
            Requests.Post($"/api/minutes/{minutes.Id}/review", new { reviewEndsAt = DateTimeOffset.UtcNow.AddDays(2) }).WithIfMatch(minutes.Version));
        Assert.True(shared.IsSuccessStatusCode, await shared.Content.ReadAsStringAsync());
        return (meeting.Id, await shared.ReadAsync<MinutesView>());
    }

    /// <summary>KR's co-chair opens the meeting: its agenda agreed, then in session.</summary>
    public async Task<MeetingDetails> InSessionAsync(MeetingDetails meeting)
    {
        using var coChair = KrCoChairClient();
        foreach (var status in new[] { "AgendaAgreed", "InSession" })
        {
            var moved = await coChair.SendAsync(Requests.Post($"/api/meetings/{meeting.Id}/status", new { status }).WithIfMatch(meeting.Version));
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
            meeting = await moved.ReadAsync<MeetingDetails>();
        }

        return meeting;
    }

    /// <summary>KR's co-chair records a decision of the meeting, naming the parties whose governments must still approve it.</summary>
    public static Task<HttpResponseMessage> RecordDecisionAsync(HttpClient client, Guid meetingId, Guid requestId, Guid[] agendaItems, params string[] needsApprovalOf) =>
        client.PostAsJsonAsync($"/api/meetings/{meetingId}/decisions", new
        {
            requestId,
            title = "디스프로슘 수출 허가 신속 처리",
            text = "양측은 디스프로슘 수출 허가 신청을 영업일 10일 이내에 처리한다.\n双方在十个工作日内处理镝出口许可申请。",
            agendaItems,
            needsApprovalOf,
        });

    public static async Task<MinutesView> WriteMinutesAsync(HttpClient client, MinutesView minutes, string language, string text)
    {
        var written = await client.SendAsync(Requests.Put($"/api/minutes/{minutes.Id}/texts/{language}", new { text }).WithIfMatch(minutes.Version));
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());
        return await written.ReadAsync<MinutesView>();
    }

    /// <summary>An incident reported on a channel, as the Incidents service announces it over the broker; returns once the committee knows it.</summary>
    public async Task<Guid> IncidentReportedAsync(string channel)
    {
        var id = Guid.CreateVersion7();
        var bus = App.Services.GetRequiredService<IBus>();
        await bus.Publish(new IncidentReported(id, 1, channel, Visibility.Shared, "KR", "kr-officer", DateTimeOffset.UtcNow, "KR", "customs-hold",
            Severity.Sev2, "Dy licences held at Tianjin", ["Dy"], [], []));
        await EventuallyAsync(() => App.InDatabase(db => db.LinkedIncidents.AnyAsync(i => i.IncidentId == id)), $"incident {id} reached the committee");
        return id;
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Not within 30 s: {what}");
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// The joint committee through its API: delegations each party sets for itself, meetings numbered per
/// committee and shown in each party's zone, items on the agenda only when both parties agree, linked
/// incidents kept current from their events, positions kept to their party, carry-over with lineage.
/// </summary>
public sealed class CommitteeApiTests(CommitteeApiFixture fixture) : IClassFixture<CommitteeApiFixture>
{
    [Fact]
    public async Task Both_parties_read_the_committee_of_their_channel_with_both_delegations_and_each_partys_zone()
    {
        using var cn = fixture.CnMemberClient();

        var committee = await CommitteeApiFixture.CommitteeAsync(cn);

        var kr = Assert.Single(committee.Delegations, d => d.Party == "KR");
        Assert.Equal("Asia/Seoul", kr.TimeZone);
        Assert.Equal("ko", kr.WorkingLanguage);
        var coChair = Assert.Single(kr.Delegates, d => d.Role == Contracts.Committee.DelegateRole.CoChair);
        Assert.Equal(fixture.KrCoChair, coChair.UserId);
        Assert.StartsWith("kr-cochair-", coChair.DisplayName, StringComparison.Ordinal);
        Assert.Equal("Asia/Shanghai", Assert.Single(committee.Delegations, d => d.Party == "CN").TimeZone);
        var list = await (await cn.GetAsync("/api/committees")).ReadAsync<ServiceDefaults.Input.PagedList<CommitteeDetails>>();
        Assert.Equal("KR-CN", Assert.Single(list.Items).Channel);
        await (await cn.GetAsync("/api/committees/KR-VN")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_party_sets_only_its_own_delegation_under_exactly_one_co_chair_of_its_own_people()
    {
        using var krAdmin = fixture.KrAdministrator();
        var version = (await CommitteeApiFixture.CommitteeAsync(krAdmin)).Version;

        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "CN", version, (fixture.CnCoChair, "CoChair")))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "KR", null, (fixture.KrCoChair, "CoChair")))
            .AssertProblemAsync(HttpStatusCode.PreconditionRequired, "if-match-required");
        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "KR", version - 1, (fixture.KrCoChair, "CoChair")))
            .AssertProblemAsync(HttpStatusCode.PreconditionFailed, "stale-version");
        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "KR", version, (fixture.KrCoChair, "CoChair"), (fixture.KrMember, "CoChair")))
            .AssertFieldErrorAsync("delegates[1].role", "not-co-chair");
        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "KR", version, (fixture.KrCoChair, "CoChair"), (fixture.CnMember, "Member")))
            .AssertFieldErrorAsync("delegates[1].userId", "unknown-person");
        await (await CommitteeApiFixture.PutDelegationAsync(krAdmin, "KR", version, (fixture.KrMember, "Member")))
            .AssertProblemAsync(HttpStatusCode.Conflict, "one-co-chair");

        var after = await CommitteeApiFixture.CommitteeAsync(krAdmin);
        Assert.Equal(version, after.Version);
        Assert.Equal(2, Assert.Single(after.Delegations, d => d.Party == "KR").Delegates.Count);
    }

    [Fact]
    public async Task Meetings_are_numbered_per_committee_shown_in_each_partys_zone_and_a_retry_schedules_nothing_more()
    {
        using var kr = fixture.KrMemberClient();
        var requestId = Guid.NewGuid();

        var first = await CommitteeApiFixture.ScheduleAsync(kr, 40, requestId);
        var second = await CommitteeApiFixture.ScheduleAsync(kr, 80);
        var retry = await kr.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId,
            startsAt = first.StartsAt,
            agendaCutoff = first.AgendaCutoff,
            place = "Seoul",
            mode = "InPerson",
        });

        Assert.Equal(first.Number + 1, second.Number);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.Id, (await retry.ReadAsync<MeetingDetails>()).Id);
        Assert.Equal(TimeSpan.FromHours(9), Assert.Single(first.LocalStarts, t => t.Party == "KR").At.Offset);
        Assert.Equal(TimeSpan.FromHours(8), Assert.Single(first.LocalStarts, t => t.Party == "CN").At.Offset);
        Assert.Equal(first.StartsAt, Assert.Single(first.LocalStarts, t => t.Party == "CN").At);
    }

    [Fact]
    public async Task A_meeting_in_the_past_or_cut_off_after_its_start_is_refused_naming_the_field()
    {
        using var kr = fixture.KrMemberClient();
        var before = await fixture.App.InDatabase(db => db.Meetings.CountAsync());

        var past = await kr.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId = Guid.NewGuid(),
            startsAt = DateTimeOffset.UtcNow.AddDays(-1),
            agendaCutoff = DateTimeOffset.UtcNow.AddDays(-2),
            place = "Seoul",
            mode = "Video",
        });
        var cutoff = await kr.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId = Guid.NewGuid(),
            startsAt = DateTimeOffset.UtcNow.AddDays(10),
            agendaCutoff = DateTimeOffset.UtcNow.AddDays(11),
            place = "Seoul",
            mode = "Video",
        });
        using var outsider = fixture.KrOutsiderClient();
        var notADelegate = await outsider.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId = Guid.NewGuid(),
            startsAt = DateTimeOffset.UtcNow.AddDays(10),
            agendaCutoff = DateTimeOffset.UtcNow.AddDays(9),
            place = "Seoul",
            mode = "Video",
        });

        await past.AssertFieldErrorAsync("startsAt", "date-in-past");
        await cutoff.AssertFieldErrorAsync("agendaCutoff", "cutoff-after-start");
        await notADelegate.AssertProblemAsync(HttpStatusCode.Forbidden, "not-a-delegate");
        Assert.Equal(before, await fixture.App.InDatabase(db => db.Meetings.CountAsync()));
    }

    [Fact]
    public async Task An_item_joins_the_agenda_only_when_the_other_party_agrees_and_shows_its_incidents_status_as_it_changes()
    {
        using var kr = fixture.KrMemberClient();
        using var krCoChair = fixture.KrCoChairClient();
        using var cn = fixture.CnMemberClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(kr, 30);
        var incident = await fixture.IncidentReportedAsync("KR-CN");

        var item = await CommitteeApiFixture.ProposeAsync(kr, meeting.Id, incident);
        var secondKr = await krCoChair.SendAsync(Requests.Post($"/api/agenda-items/{item.Id}/agreement").WithIfMatch(item.Version));
        var agreed = await cn.SendAsync(Requests.Post($"/api/agenda-items/{item.Id}/agreement").WithIfMatch(item.Version));

        Assert.False(item.OnAgenda);
        Assert.Equal("ko", item.Language);
        Assert.Equal(IncidentStatus.Reported, Assert.Single(item.Incidents).Status);
        await secondKr.AssertProblemAsync(HttpStatusCode.Conflict, "already-agreed");
        Assert.Equal(HttpStatusCode.OK, agreed.StatusCode);
        Assert.True((await agreed.ReadAsync<AgendaItemDetails>()).OnAgenda);
        var agenda = (await (await cn.GetAsync($"/api/meetings/{meeting.Id}")).ReadAsync<MeetingDetails>()).Agenda;
        Assert.True(Assert.Single(agenda).OnAgenda);

        await fixture.App.Services.GetRequiredService<IBus>().Publish(
            new IncidentAcknowledged(incident, 2, "KR-CN", Visibility.Shared, "CN", "cn-officer", DateTimeOffset.UtcNow, "KR"));
        await CommitteeApiFixture.EventuallyAsync(async () =>
            (await (await cn.GetAsync($"/api/agenda-items/{item.Id}")).ReadAsync<AgendaItemDetails>()).Incidents.Single().Status == IncidentStatus.Acknowledged,
            "the linked incident shows Acknowledged");
    }

    [Fact]
    public async Task Only_Shared_incidents_of_the_same_channel_are_linked_and_nothing_is_written_otherwise()
    {
        using var kr = fixture.KrMemberClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(kr, 30);
        var ours = await fixture.IncidentReportedAsync("KR-CN");
        var otherChannel = await fixture.IncidentReportedAsync("KR-VN");
        var before = await fixture.App.InDatabase(db => db.AgendaItems.CountAsync());

        var response = await kr.PostAsJsonAsync($"/api/meetings/{meeting.Id}/agenda-items", new
        {
            requestId = Guid.NewGuid(),
            title = "Licences",
            description = "Held since November.",
            incidents = new[] { ours, otherChannel, Guid.NewGuid() },
        });
        var empty = await kr.PostAsJsonAsync($"/api/meetings/{meeting.Id}/agenda-items", new { requestId = Guid.NewGuid(), title = "", description = "" });

        var errors = await response.AssertFieldErrorAsync("incidents[1]", "unknown-incident");
        Assert.Contains(errors, e => e.Field == "incidents[2]");
        Assert.DoesNotContain(errors, e => e.Field == "incidents[0]");
        await empty.AssertFieldErrorAsync("title", "required");
        await empty.AssertFieldErrorAsync("description", "required");
        Assert.Equal(before, await fixture.App.InDatabase(db => db.AgendaItems.CountAsync()));
    }

    [Fact]
    public async Task A_partys_position_on_an_item_is_its_own_until_it_shares_it()
    {
        using var kr = fixture.KrMemberClient();
        using var cn = fixture.CnMemberClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(kr, 30);
        var item = await CommitteeApiFixture.ProposeAsync(cn, meeting.Id);

        var recorded = await kr.SendAsync(Requests.Put($"/api/agenda-items/{item.Id}/positions/mine", new { text = "허가 기간 단축을 요구한다" }).WithIfMatch(item.Version));
        var krView = await recorded.ReadAsync<AgendaItemDetails>();
        var cnView = await (await cn.GetAsync($"/api/agenda-items/{item.Id}")).ReadAsync<AgendaItemDetails>();
        var cnText = await (await cn.GetAsync($"/api/agenda-items/{item.Id}")).Content.ReadAsStringAsync();
        var shared = await kr.SendAsync(Requests.Put($"/api/agenda-items/{item.Id}/positions/mine", new { text = "공동 점검반 구성에 동의", visibility = "Shared" })
            .WithIfMatch(krView.Version));
        var cnAfter = await (await cn.GetAsync($"/api/agenda-items/{item.Id}")).ReadAsync<AgendaItemDetails>();

        Assert.Equal(Visibility.Internal, Assert.Single(krView.Positions).Visibility);
        Assert.Empty(cnView.Positions);
        Assert.DoesNotContain("허가 기간", cnText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal("공동 점검반 구성에 동의", Assert.Single(cnAfter.Positions).Text);
    }

    [Fact]
    public async Task Carrying_an_item_over_keeps_its_lineage_readable_from_either_end()
    {
        using var kr = fixture.KrMemberClient();
        using var cnCoChair = fixture.CnCoChairClient();
        var first = await CommitteeApiFixture.ScheduleAsync(kr, 30);
        var later = await CommitteeApiFixture.ScheduleAsync(kr, 60);
        var item = await CommitteeApiFixture.ProposeAsync(kr, first.Id);

        var byMember = await kr.SendAsync(Requests.Post($"/api/agenda-items/{item.Id}/carry-over", new { meetingId = later.Id }).WithIfMatch(item.Version));
        var carried = await cnCoChair.SendAsync(Requests.Post($"/api/agenda-items/{item.Id}/carry-over", new { meetingId = later.Id }).WithIfMatch(item.Version));
        var next = await carried.ReadAsync<AgendaItemDetails>();
        var history = await (await kr.GetAsync($"/api/agenda-items/{next.Id}/history")).ReadAsync<AgendaItemHistory>();
        var original = await (await kr.GetAsync($"/api/agenda-items/{item.Id}")).ReadAsync<AgendaItemDetails>();

        await byMember.AssertProblemAsync(HttpStatusCode.Forbidden, "not-co-chair");
        Assert.Equal(HttpStatusCode.Created, carried.StatusCode);
        Assert.Equal(item.Id, next.CarriedOverFrom);
        Assert.Equal([item.Id, next.Id], history.Steps.Select(s => s.Id));
        Assert.Equal([first.Number, later.Number], history.Steps.Select(s => s.MeetingNumber));
        Assert.Equal(Contracts.Committee.AgendaItemStatus.Deferred, original.Status);
        Assert.Equal(next.Id, original.CarriedOverTo);
    }

    [Fact]
    public async Task Decisions_are_numbered_per_year_link_agreed_items_and_each_government_settles_only_its_own_approval()
    {
        using var krMember = fixture.KrMemberClient();
        using var krCoChair = fixture.KrCoChairClient();
        using var cnCoChair = fixture.CnCoChairClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(krMember, 20);
        var agreed = await CommitteeApiFixture.ProposeAsync(krMember, meeting.Id);
        var onAgenda = await cnCoChair.SendAsync(Requests.Post($"/api/agenda-items/{agreed.Id}/agreement").WithIfMatch(agreed.Version));
        Assert.Equal(HttpStatusCode.OK, onAgenda.StatusCode);
        var notAgreed = await CommitteeApiFixture.ProposeAsync(krMember, meeting.Id);
        await (await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, Guid.NewGuid(), [agreed.Id], "CN"))
            .AssertProblemAsync(HttpStatusCode.Conflict, "meeting-not-held");
        meeting = await fixture.InSessionAsync(meeting);

        await (await CommitteeApiFixture.RecordDecisionAsync(krMember, meeting.Id, Guid.NewGuid(), [agreed.Id], "CN"))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-co-chair");
        var stray = await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, Guid.NewGuid(), [agreed.Id, notAgreed.Id], "CN");
        await stray.AssertFieldErrorAsync("agendaItems[1]", "unknown-agenda-item");
        var requestId = Guid.NewGuid();
        var first = await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, requestId, [agreed.Id], "CN");
        var retried = await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, requestId, [agreed.Id], "CN");
        var second = await CommitteeApiFixture.RecordDecisionAsync(cnCoChair, meeting.Id, Guid.NewGuid(), [], "KR", "CN");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var decision = await first.ReadAsync<DecisionView>();
        var year = meeting.StartsAt.UtcDateTime.Year;
        Assert.Equal($"KR-CN/{year}/1", decision.Number);
        Assert.Equal(decision.Id, (await retried.ReadAsync<DecisionView>()).Id);
        Assert.Equal($"KR-CN/{year}/2", (await second.ReadAsync<DecisionView>()).Number);
        Assert.Equal(agreed.Id, Assert.Single(decision.AgendaItems).Id);
        Assert.Equal(meeting.Number, decision.MeetingNumber);
        Assert.Equal([("KR", DomesticApproval.NotNeeded), ("CN", DomesticApproval.Needed)], decision.Approvals.Select(a => (a.Party, a.Approval)));

        var path = $"/api/decisions/{decision.Id}/domestic-approval";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await (await krCoChair.SendAsync(Requests.Put(path, new { approval = "Approved", on = today }).WithIfMatch(decision.Version)))
            .AssertProblemAsync(HttpStatusCode.Conflict, "approval-not-pending");
        await (await cnCoChair.SendAsync(Requests.Put(path, new { approval = "Needed", on = today }).WithIfMatch(decision.Version)))
            .AssertFieldErrorAsync("approval", "invalid-approval");
        var pendingBefore = await (await krMember.GetAsync("/api/committees/KR-CN/decisions?pendingApprovalOf=CN")).ReadAsync<PagedList<DecisionView>>();
        var refused = await cnCoChair.SendAsync(Requests.Put(path, new { approval = "Refused", on = today }).WithIfMatch(decision.Version));
        var pendingAfter = await (await krMember.GetAsync("/api/committees/KR-CN/decisions?pendingApprovalOf=CN")).ReadAsync<PagedList<DecisionView>>();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var settled = (await refused.ReadAsync<DecisionView>()).Approvals.Single(a => a.Party == "CN");
        Assert.Equal((DomesticApproval.Refused, today, fixture.CnCoChair), (settled.Approval, settled.On, settled.RecordedBy));
        Assert.Contains(pendingBefore.Items, d => d.Id == decision.Id);
        Assert.DoesNotContain(pendingAfter.Items, d => d.Id == decision.Id);
        Assert.Contains(pendingAfter.Items, d => d.Number == $"KR-CN/{year}/2");
    }

    [Fact]
    public async Task A_number_taken_meanwhile_is_taken_again_and_after_three_clashes_the_caller_is_asked_to_send_again()
    {
        using var krCoChair = fixture.KrCoChairClient();
        await InstallClashesAsync();
        var meeting = await fixture.InSessionAsync(await CommitteeApiFixture.ScheduleAsync(krCoChair, 30));

        // Two other requests take the meeting's number first: the third try is numbered after the last meeting.
        var twice = Guid.NewGuid();
        await PlanClashesAsync(twice, 2);
        var scheduled = await CommitteeApiFixture.ScheduleAsync(krCoChair, 60, twice);
        Assert.Equal(meeting.Number + 1, scheduled.Number);
        Assert.Equal(3, await TriesAsync(twice));

        // Every try clashes: 409 after three, nothing written, and sending the same request again schedules it.
        var always = Guid.NewGuid();
        await PlanClashesAsync(always, 3);
        await (await ScheduleRawAsync(krCoChair, always)).AssertProblemAsync(HttpStatusCode.Conflict, "concurrent-change");
        Assert.Equal(3, await TriesAsync(always));
        Assert.Equal(0L, await CountAsync("meetings", always));
        Assert.Equal(scheduled.Number + 1, (await CommitteeApiFixture.ScheduleAsync(krCoChair, 90, always)).Number);

        var decisionTwice = Guid.NewGuid();
        await PlanClashesAsync(decisionTwice, 2);
        var decision = await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, decisionTwice, []);
        Assert.Equal(HttpStatusCode.Created, decision.StatusCode);
        Assert.Equal(3, await TriesAsync(decisionTwice));
        var decisionAlways = Guid.NewGuid();
        await PlanClashesAsync(decisionAlways, 3);
        await (await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, decisionAlways, []))
            .AssertProblemAsync(HttpStatusCode.Conflict, "concurrent-change");
        Assert.Equal(0L, await CountAsync("decisions", decisionAlways));
        var sentAgain = await CommitteeApiFixture.RecordDecisionAsync(krCoChair, meeting.Id, decisionAlways, []);
        Assert.Equal(HttpStatusCode.Created, sentAgain.StatusCode);
        static int Sequence(DecisionView view) => int.Parse(view.Number.Split('/')[^1], CultureInfo.InvariantCulture);
        Assert.Equal(Sequence(await decision.ReadAsync<DecisionView>()) + 1, Sequence(await sentAgain.ReadAsync<DecisionView>()));
    }

    private static Task<HttpResponseMessage> ScheduleRawAsync(HttpClient client, Guid requestId) =>
        client.PostAsJsonAsync("/api/committees/KR-CN/meetings", new
        {
            requestId,
            startsAt = DateTimeOffset.UtcNow.AddDays(90),
            agendaCutoff = DateTimeOffset.UtcNow.AddDays(83),
            place = "Beijing",
            mode = "InPerson",
        });

    /// <summary>
    /// A trigger that plays another request taking the number at the same moment: the insert of a planned
    /// request id fails with a unique violation, the whole save rolls back, and a sequence (which no
    /// rollback undoes) counts the tries.
    /// </summary>
    private async Task InstallClashesAsync() => await SqlAsync("""
        CREATE TABLE IF NOT EXISTS committee.planned_clashes (request_id uuid PRIMARY KEY, clashes int NOT NULL);
        CREATE OR REPLACE FUNCTION committee.take_the_number_first() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE planned int;
        BEGIN
            SELECT clashes INTO planned FROM committee.planned_clashes WHERE request_id = NEW.request_id;
            IF FOUND AND nextval('committee.tries_' || replace(NEW.request_id::text, '-', '')) <= planned THEN
                RAISE EXCEPTION 'another request took this number' USING ERRCODE = 'unique_violation';
            END IF;
            RETURN NEW;
        END $$;
        DROP TRIGGER IF EXISTS take_the_number_first ON committee.meetings;
        CREATE TRIGGER take_the_number_first BEFORE INSERT ON committee.meetings FOR EACH ROW EXECUTE FUNCTION committee.take_the_number_first();
        DROP TRIGGER IF EXISTS take_the_number_first ON committee.decisions;
        CREATE TRIGGER take_the_number_first BEFORE INSERT ON committee.decisions FOR EACH ROW EXECUTE FUNCTION committee.take_the_number_first();
        """);

    private Task PlanClashesAsync(Guid requestId, int clashes) =>
        SqlAsync($"CREATE SEQUENCE committee.tries_{requestId:N}; INSERT INTO committee.planned_clashes VALUES ('{requestId}', {clashes});");

    private async Task<long> TriesAsync(Guid requestId) => (long)(await ScalarAsync($"SELECT last_value FROM committee.tries_{requestId:N}"))!;

    private async Task<long> CountAsync(string table, Guid requestId) => (long)(await ScalarAsync($"SELECT count(*) FROM committee.{table} WHERE request_id = '{requestId}'"))!;

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Attendance_names_only_delegates_of_the_recording_party()
    {
        using var kr = fixture.KrMemberClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(kr, 30);

        var stranger = await kr.SendAsync(Requests.Put($"/api/meetings/{meeting.Id}/attendance", new
        {
            entries = new object[] { new { userId = fixture.KrCoChair, presence = "Present" }, new { userId = fixture.CnCoChair, presence = "Present" } },
        }).WithIfMatch(meeting.Version));
        var recorded = await kr.SendAsync(Requests.Put($"/api/meetings/{meeting.Id}/attendance", new
        {
            entries = new object[]
            {
                new { userId = fixture.KrCoChair, presence = "Delegated", delegatedTo = fixture.KrMember },
                new { userId = fixture.KrMember, presence = "Present" },
            },
        }).WithIfMatch(meeting.Version));

        await stranger.AssertFieldErrorAsync("entries[1].userId", "not-a-delegate");
        Assert.True(recorded.StatusCode == HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync());
        var attendance = (await recorded.ReadAsync<MeetingDetails>()).Attendance;
        Assert.Equal(2, attendance.Count);
        Assert.StartsWith("kr-member-", Assert.Single(attendance, a => a.UserId == fixture.KrMember).DisplayName, StringComparison.Ordinal);
    }
}

/// <summary>
/// The committee's changes reach the delegates, live and in their feeds, through the real broker and the
/// real Notifications host; a party's position reaches its own delegates only, and never with its text.
/// </summary>
public sealed class CommitteeNotificationTests(CommitteeApiFixture fixture, NotificationsHostFixture notifications)
    : IClassFixture<CommitteeApiFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string Member = HotlineRoles.CommitteeMember;

    [Fact]
    public async Task Delegates_are_told_of_agenda_changes_and_a_partys_Internal_position_reaches_its_own_delegates_only()
    {
        var hub = notifications.App;
        var krCoChair = fixture.Name("kr-cochair");
        await hub.PersonAsync(krCoChair, "KR", CommitteeApiFixture.CoChairRoles);
        var cnMemberId = await hub.PersonAsync(fixture.Name("cn-member"), "CN", Member);
        var cnCoChairId = await hub.PersonAsync(fixture.Name("cn-cochair"), "CN", CommitteeApiFixture.CoChairRoles);
        await AnnounceDelegationsAsync();
        await using var kr = await (await hub.ConnectionForAsync(krCoChair, "KR", CommitteeApiFixture.CoChairRoles)).StartAsync();

        using var cn = fixture.CnMemberClient();
        using var krMember = fixture.KrMemberClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(krMember, 30);
        var item = await CommitteeApiFixture.ProposeAsync(cn, meeting.Id);
        var proposed = await kr.WaitForAsync(e => e.Kind == FeedEntryKind.AgendaItemProposed && e.Title == item.Title);
        var position = await krMember.SendAsync(Requests.Put($"/api/agenda-items/{item.Id}/positions/mine", new { text = "비축량은 3주분" }).WithIfMatch(item.Version));
        var recorded = await kr.WaitForAsync(e => e.Kind == FeedEntryKind.AgendaPositionRecorded);

        Assert.Equal("CN", proposed.ActingParty);
        Assert.Equal((item.Id, null), (proposed.SubjectId, proposed.IncidentId)); // the entry opens the item's page
        Assert.Equal(item.Id, recorded.SubjectId);
        Assert.Equal(HttpStatusCode.OK, position.StatusCode);
        Assert.Equal(Visibility.Internal, recorded.Visibility);
        Assert.DoesNotContain("비축량", recorded.Detail, StringComparison.Ordinal);
        // Written in the same batch as KR's entry, so CN would have one by now: it has none, nor any Internal entry.
        Assert.False(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e =>
            (e.UserId == cnMemberId || e.UserId == cnCoChairId) && (e.Kind == FeedEntryKind.AgendaPositionRecorded || e.Visibility == Visibility.Internal))));
        // The proposer is not told of their own proposal; the other CN delegate is.
        Assert.False(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == cnMemberId && e.Kind == FeedEntryKind.AgendaItemProposed)));
        Assert.True(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == cnCoChairId && e.Kind == FeedEntryKind.AgendaItemProposed)));
    }

    [Fact]
    public async Task Delegates_of_both_parties_are_told_when_minutes_are_shared_for_review_but_not_whoever_shared_them()
    {
        var hub = notifications.App;
        var cnCoChair = fixture.Name("cn-cochair");
        await hub.PersonAsync(cnCoChair, "CN", CommitteeApiFixture.CoChairRoles);
        var krCoChairId = await hub.PersonAsync(fixture.Name("kr-cochair"), "KR", CommitteeApiFixture.CoChairRoles);
        var krMemberId = await hub.PersonAsync(fixture.Name("kr-member"), "KR", Member);
        await AnnounceDelegationsAsync();
        await using var cn = await (await hub.ConnectionForAsync(cnCoChair, "CN", CommitteeApiFixture.CoChairRoles)).StartAsync();

        var (_, minutes) = await fixture.MinutesInReviewAsync();

        var shared = await cn.WaitForAsync(e => e.Kind == FeedEntryKind.MinutesShared);
        Assert.Equal("KR", shared.ActingParty);
        Assert.Equal(minutes.Id, shared.SubjectId);
        Assert.Equal(Visibility.Shared, shared.Visibility);
        Assert.DoesNotContain(CommitteeApiFixture.MinutesInChinese[..10], shared.Detail, StringComparison.Ordinal);
        Assert.True(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == krMemberId && e.Kind == FeedEntryKind.MinutesShared)));
        Assert.False(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == krCoChairId && e.Kind == FeedEntryKind.MinutesShared)));
        Assert.Equal(MinutesStatus.SharedForReview, minutes.Status);
    }

    [Fact]
    public async Task The_other_delegation_is_told_of_a_decision_and_a_refusal_at_home_is_marked_important()
    {
        var hub = notifications.App;
        var krCoChair = fixture.Name("kr-cochair");
        await hub.PersonAsync(krCoChair, "KR", CommitteeApiFixture.CoChairRoles);
        await hub.PersonAsync(fixture.Name("cn-cochair"), "CN", CommitteeApiFixture.CoChairRoles);
        var cnMemberId = await hub.PersonAsync(fixture.Name("cn-member"), "CN", Member);
        await AnnounceDelegationsAsync();
        await using var kr = await (await hub.ConnectionForAsync(krCoChair, "KR", CommitteeApiFixture.CoChairRoles)).StartAsync();

        using var cnCoChair = fixture.CnCoChairClient();
        var meeting = await fixture.InSessionAsync(await CommitteeApiFixture.ScheduleAsync(cnCoChair, 15));
        var recorded = await CommitteeApiFixture.RecordDecisionAsync(cnCoChair, meeting.Id, Guid.NewGuid(), [], "CN");
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var decision = await recorded.ReadAsync<DecisionView>();
        var told = await kr.WaitForAsync(e => e.Kind == FeedEntryKind.DecisionRecorded && e.Title.StartsWith(decision.Number + " ", StringComparison.Ordinal));
        var refused = await cnCoChair.SendAsync(Requests.Put($"/api/decisions/{decision.Id}/domestic-approval",
            new { approval = "Refused", on = DateOnly.FromDateTime(DateTime.UtcNow) }).WithIfMatch(decision.Version));
        var refusal = await kr.WaitForAsync(e => e.Kind == FeedEntryKind.DomesticApprovalRecorded && e.Title.StartsWith(decision.Number + " ", StringComparison.Ordinal));

        Assert.Equal("CN", told.ActingParty);
        Assert.Contains("CN", told.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.True(refusal.Important);
        Assert.Contains("refused", refusal.Detail, StringComparison.Ordinal);
        Assert.True(await hub.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == cnMemberId && e.Kind == FeedEntryKind.DecisionRecorded)));
    }

    /// <summary>Announced again now that this Notifications host listens: it learns who sits on each delegation.</summary>
    private async Task AnnounceDelegationsAsync()
    {
        using var krAdmin = fixture.KrAdministrator();
        using var cnAdmin = fixture.CnAdministrator();
        var before = (await CommitteeApiFixture.CommitteeAsync(krAdmin)).Version;
        var version = (await CommitteeApiFixture.SetDelegationAsync(krAdmin, "KR", before, (fixture.KrCoChair, "CoChair"), (fixture.KrMember, "Member"))).Version;
        await CommitteeApiFixture.SetDelegationAsync(cnAdmin, "CN", version, (fixture.CnCoChair, "CoChair"), (fixture.CnMember, "Member"));
        await CommitteeApiFixture.EventuallyAsync(
            () => notifications.App.InDatabase(db => db.CommitteeDelegations.CountAsync(d => d.Channel == "KR-CN" && d.Version > before)).ContinueWith(t => t.Result == 2),
            "both delegations reached Notifications");
    }

    [Fact]
    public async Task A_Notifications_host_started_after_the_delegations_were_set_learns_them_from_the_directory_replay()
    {
        var expected = (await CommitteeApiFixture.CommitteeAsync(fixture.KrAdministrator())).Delegations
            .ToDictionary(d => d.Party, d => d.Delegates.Select(x => x.UserId).Order().ToList());
        await using var database = await TestInfrastructure.CreateDatabaseAsync("latenotify");
        await using var late = new NotificationsApp(database.ConnectionString, $"l{Guid.NewGuid():N}"[..10]);
        late.Start();

        await CommitteeApiFixture.EventuallyAsync(
            () => late.InDatabase(async db =>
            {
                var known = await db.CommitteeDelegations.AsNoTracking().Where(d => d.Channel == "KR-CN").ToListAsync();
                return known.Count == 2 && known.All(d => expected[d.Party].SequenceEqual(d.Members.Order()));
            }),
            "the late Notifications host knows both delegations");
    }
}

/// <summary>
/// Action items on the durable timer of a real Committee host: the reminder and the overdue notice go
/// out once each, also across a restart, by the host's clock; the owner cannot move the due time.
/// </summary>
public sealed class ActionItemTimerTests(CommitteeApiFixture fixture) : IClassFixture<CommitteeApiFixture>
{
    [Fact]
    public async Task The_reminder_and_the_overdue_notice_fire_once_each_and_survive_a_restart()
    {
        using var krMember = fixture.KrMemberClient();
        using var cnCoChair = fixture.CnCoChairClient();
        var meeting = await CommitteeApiFixture.ScheduleAsync(krMember, 30);
        // Whole seconds: PostgreSQL keeps microseconds, so a tick-precise time would not read back equal.
        var dueAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(10).ToUnixTimeSeconds());
        var assigned = await cnCoChair.PostAsJsonAsync($"/api/meetings/{meeting.Id}/action-items", new
        {
            requestId = Guid.NewGuid(),
            title = "허가 통계 제공",
            ownerUserId = fixture.KrMember,
            dueAt,
        });
        Assert.True(assigned.StatusCode == HttpStatusCode.Created, await assigned.Content.ReadAsStringAsync());
        var item = await assigned.ReadAsync<ActionItemView>();
        var moved = await krMember.SendAsync(Requests.Put($"/api/action-items/{item.Id}/due-date", new { dueAt = dueAt.AddDays(30) }).WithIfMatch(item.Version));
        await moved.AssertProblemAsync(HttpStatusCode.Forbidden, "not-co-chair");

        // A host of its own on the same database and queues, its clock just inside the reminder's lead time.
        var prefix = $"t{Guid.NewGuid():N}"[..10];
        var clock = new SettableClock(dueAt - ActionItem.ReminderLead + TimeSpan.FromMinutes(1));
        await using (var first = new CommitteeApp(fixture.ConnectionString, prefix, time: clock).Start())
        {
            await CommitteeApiFixture.EventuallyAsync(async () => (await EventsAsync<ActionItemDue>(first, item.Id)).Count == 1, "the reminder went out");
            await Task.Delay(TimeSpan.FromSeconds(2)); // several timer rounds: nothing more
            Assert.Single(await EventsAsync<ActionItemDue>(first, item.Id));
            Assert.Empty(await EventsAsync<ActionItemOverdue>(first, item.Id));
        }

        clock.Now = dueAt + TimeSpan.FromMinutes(1);
        await using var second = new CommitteeApp(fixture.ConnectionString, prefix, time: clock).Start();
        await CommitteeApiFixture.EventuallyAsync(async () => (await EventsAsync<ActionItemOverdue>(second, item.Id)).Count == 1, "the overdue notice went out after the restart");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await EventsAsync<ActionItemOverdue>(second, item.Id));
        Assert.Single(await EventsAsync<ActionItemDue>(second, item.Id));
        var read = await (await krMember.GetAsync($"/api/action-items/{item.Id}")).ReadAsync<ActionItemView>();
        Assert.Equal(dueAt, read.DueAt);
    }

    private static Task<List<T>> EventsAsync<T>(CommitteeApp app, Guid id) where T : class =>
        app.InDatabase(async db =>
        {
            var (type, key) = (typeof(T).FullName!, id.ToString());
            var bodies = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == type && m.Body.Contains(key)).Select(m => m.Body).ToListAsync();
            return bodies.Select(b => (T)BuildingBlocks.Messaging.MessageSerialization.Deserialize(b, typeof(T))).ToList();
        });
}
