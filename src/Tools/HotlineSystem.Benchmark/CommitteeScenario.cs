using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.Contracts.Notifications;

namespace HotlineSystem.Benchmark;

/// <summary>One POST of an agenda item: its request id (which its title carries), the answer and when.</summary>
public readonly record struct Proposal(Guid RequestId, int Status, long SentAt, long RespondedAt, string? Error)
{
    public bool Created => Status == (int)HttpStatusCode.Created;

    public double HttpMs => Stopwatch.GetElapsedTime(SentAt, RespondedAt).TotalMilliseconds;
}

/// <summary>
/// (committee) Committee events to the other delegation's console, beside incidents to the same person in
/// the same run: a KR committee member proposes agenda items to a meeting of KR–CN's committee while the
/// tool files incidents at the same rate, and one CN person — a committee member of CN's delegation and a
/// liaison officer — receives both on one connection (the typed client). Per item and per incident: 201
/// received → the entry handed over, each exactly once. The people and the delegations are set up the way
/// the console does it: accounts by each party's administrator, delegations by each party's administrator
/// on the Committee service, sign-ins through the sign-in pages.
/// </summary>
public static class CommitteeScenario
{
    public const string MemberScope = "openid profile offline_access committee";
    private const string Channel = "KR-CN";
    private const string TitleStart = "Benchmark agenda item #";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<CommitteeResult> RunAsync(
        NotificationsLoad load, Uri committee, IncidentFiler filer, AccessTokens krAdministrator, AccessTokens cnAdministrator,
        CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        progress($"(committee) people of run {run}: a member and a co-chair of each delegation; CN's member is a liaison officer too");
        var krMember = await PeopleAdministration.CreateAsync(load.Identity, krAdministrator, $"bench-kr-{run}-member", "KR", ["CommitteeMember"], cancellationToken);
        var krCoChair = await PeopleAdministration.CreateAsync(load.Identity, krAdministrator, $"bench-kr-{run}-cochair", "KR", ["CommitteeMember", "CoChair"], cancellationToken);
        var cnMember = await PeopleAdministration.CreateAsync(
            load.Identity, cnAdministrator, $"bench-cn-{run}-member", "CN", ["CommitteeMember", "LiaisonOfficer"], cancellationToken);
        var cnCoChair = await PeopleAdministration.CreateAsync(load.Identity, cnAdministrator, $"bench-cn-{run}-cochair", "CN", ["CommitteeMember", "CoChair"], cancellationToken);

        using var http = new HttpClient { BaseAddress = committee, Timeout = TimeSpan.FromSeconds(30) };
        progress("(committee) each party's administrator seats its delegation (once the Committee service knows the people)");
        await SeatAsync(http, krAdministrator, "KR", krCoChair, krMember, cancellationToken);
        await SeatAsync(http, cnAdministrator, "CN", cnCoChair, cnMember, cancellationToken);

        var proposer = await PersonTokens.SignInAsync(load.Identity, krMember, load.RedirectUri, MemberScope, cancellationToken);
        var reader = await PersonTokens.SignInAsync(load.Identity, cnMember, load.RedirectUri, NotificationsScenario.Scope, cancellationToken);
        var meeting = await ScheduleAsync(http, proposer, cancellationToken);
        progress($"(committee) {krMember.UserName} and {cnMember.UserName} signed in; meeting {meeting} scheduled");

        // Items are told apart by the request id in their title; incidents by their id.
        var receipts = new Receipts(1, entry => entry.Kind == FeedEntryKind.AgendaItemProposed ? RequestIdIn(entry.Title) : entry.IncidentId);
        await using var connection = new PersonConnection(load.Notifications, reader, 0, receipts, 0);
        await connection.StartAsync(cancellationToken);
        var probe = await ProbeAsync(http, proposer, meeting, receipts, cancellationToken);
        progress($"(committee) the Notifications service knows the delegations: the first probe item arrived after {probe.TotalSeconds:0.0} s");
        await NotificationsScenario.ProbeAsync(filer, receipts, cancellationToken);

        if (load.Warmup > TimeSpan.Zero)
        {
            progress($"(committee) warming up (not reported): items and incidents at {load.CommitteeRate}/s each for {load.Warmup.TotalSeconds:0} s");
            await BothAtRateAsync(http, proposer, meeting, filer, receipts, load, load.Warmup, null, cancellationToken);
        }

        progress($"(committee) items and incidents at {load.CommitteeRate}/s each for {load.Duration.TotalSeconds:0} s");
        var cpuBefore = cpuWatch.Take();
        var (items, incidents) = await BothAtRateAsync(http, proposer, meeting, filer, receipts, load, load.Duration, progress, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a late second delivery still counts
        var result = new CommitteeResult(
            $"{load.CommitteeRate} items/s and {load.CommitteeRate} incidents/s for {load.Duration.TotalSeconds:0} s",
            Deliveries(items.Select(p => (p.Created, (Guid?)p.RequestId, p.SentAt, p.RespondedAt, p.Error, p.Status)), receipts),
            Deliveries(incidents.Select(f => (f.Created, f.IncidentId, f.SentAt, f.RespondedAt, f.Error, f.Status)), receipts),
            cpuWatch.Between(cpuBefore, cpuWatch.Take()));
        progress($"(committee) items: 201 → handed over p99 {result.Items.CreatedToReceived.P99:0.0} ms, lost {result.Items.Lost}, doubled {result.Items.Doubled}; "
            + $"incidents: p99 {result.Incidents.CreatedToReceived.P99:0.0} ms, lost {result.Incidents.Lost}, doubled {result.Incidents.Doubled}");
        return result;
    }

    /// <summary>The request id in a title of <see cref="TitleOf"/>, or null.</summary>
    public static Guid? RequestIdIn(string title) =>
        title.StartsWith(TitleStart, StringComparison.Ordinal) && Guid.TryParseExact(title.AsSpan(TitleStart.Length), "N", out var id) ? id : null;

    private static string TitleOf(Guid requestId) => $"{TitleStart}{requestId:N}";

    private static async Task<(List<Proposal> Items, List<Filing> Incidents)> BothAtRateAsync(
        HttpClient http, PersonTokens proposer, Guid meeting, IncidentFiler filer, Receipts receipts, NotificationsLoad load, TimeSpan duration,
        Action<string>? progress, CancellationToken cancellationToken)
    {
        var items = FilingPhases.AtRateAsync(token => ProposeAsync(http, proposer, meeting, token), load.CommitteeRate, duration, cancellationToken);
        var incidents = FilingPhases.FileAtRateAsync(filer, load.CommitteeRate, duration, cancellationToken);
        var (proposals, _) = await items;
        var (filings, _) = await incidents;
        var keys = proposals.Where(p => p.Created).Select(p => p.RequestId).Concat(filings.Where(f => f.Created).Select(f => f.IncidentId!.Value)).ToList();
        await NotificationsScenario.WaitForAsync(receipts, keys, load.DrainTimeout, progress, cancellationToken);
        return (proposals, filings);
    }

    private static CommitteeDeliveries Deliveries(IEnumerable<(bool Created, Guid? Key, long SentAt, long RespondedAt, string? Error, int Status)> requests, Receipts receipts)
    {
        var all = requests.ToList();
        var created = all.Where(r => r.Created).ToList();
        var latencies = new List<double>();
        int lost = 0, doubled = 0;
        foreach (var request in created)
        {
            if (receipts.Find(request.Key!.Value) is not { } receipt || receipt.DeliveredAt[0] == 0)
            {
                lost++;
                continue;
            }

            doubled += receipt.DeliveredCount[0] > 1 ? 1 : 0;
            latencies.Add(Stopwatch.GetElapsedTime(request.RespondedAt, receipt.DeliveredAt[0]).TotalMilliseconds);
        }

        return new CommitteeDeliveries(all.Count, created.Count,
            all.Where(r => !r.Created).GroupBy(r => r.Error ?? $"HTTP {r.Status}").ToDictionary(g => g.Key, g => g.Count()),
            lost, doubled, Percentiles.Of(created.Select(r => Stopwatch.GetElapsedTime(r.SentAt, r.RespondedAt).TotalMilliseconds)), Percentiles.Of(latencies));
    }

    /// <summary>Proposes an item every half second until one reaches the CN member: the Notifications service learns delegations from the Committee's events.</summary>
    private static async Task<TimeSpan> ProbeAsync(HttpClient http, PersonTokens proposer, Guid meeting, Receipts receipts, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var probes = new List<IncidentReceipts>();
        while (Stopwatch.GetElapsedTime(start) < Patience)
        {
            var proposal = await ProposeAsync(http, proposer, meeting, cancellationToken);
            if (proposal.Created)
            {
                probes.Add(receipts.For(proposal.RequestId));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            if (probes.Any(p => p.All.IsCompleted))
            {
                return Stopwatch.GetElapsedTime(start);
            }
        }

        throw new InvalidOperationException($"No probe item reached CN's member within {Patience.TotalSeconds:0} s: does the Notifications service know the delegations?");
    }

    private static async Task<Proposal> ProposeAsync(HttpClient http, PersonTokens proposer, Guid meeting, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/meetings/{meeting}/agenda-items")
        {
            Content = JsonContent.Create(new
            {
                requestId,
                title = TitleOf(requestId),
                description = "Export licence processing times for NdFeB magnets and the stock each side holds.",
                language = "en",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await proposer.GetAsync());
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var respondedAt = Stopwatch.GetTimestamp();
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new Proposal(requestId, (int)response.StatusCode, sentAt, respondedAt, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Proposal(requestId, 0, sentAt, Stopwatch.GetTimestamp(), exception.GetType().Name);
        }
    }

    /// <summary>Seats a party's delegation, asking again while the Committee service does not know the people yet.</summary>
    private static async Task SeatAsync(
        HttpClient http, AccessTokens administrator, string party, BenchmarkPerson coChair, BenchmarkPerson member, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"api/committees/{Channel}");
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", administrator.Current);
            using var current = await http.SendAsync(read, cancellationToken);
            var body = await current.Content.ReadAsStringAsync(cancellationToken);
            if (current.StatusCode == HttpStatusCode.OK)
            {
                var version = JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32();
                using var seat = new HttpRequestMessage(HttpMethod.Put, $"api/committees/{Channel}/delegations/{party}")
                {
                    Content = JsonContent.Create(new
                    {
                        delegates = new[] { new { userId = coChair.UserId, role = "CoChair" }, new { userId = member.UserId, role = "Member" } },
                    }),
                };
                seat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", administrator.Current);
                seat.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
                using var seated = await http.SendAsync(seat, cancellationToken);
                if (seated.IsSuccessStatusCode)
                {
                    return;
                }

                body = await seated.Content.ReadAsStringAsync(cancellationToken);
            }

            if (Stopwatch.GetElapsedTime(start) > Patience)
            {
                throw new InvalidOperationException($"{party}'s delegation could not be seated within {Patience.TotalSeconds:0} s: {body}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static async Task<Guid> ScheduleAsync(HttpClient http, PersonTokens member, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/committees/{Channel}/meetings")
        {
            Content = JsonContent.Create(new
            {
                requestId = Guid.NewGuid(),
                startsAt = DateTimeOffset.UtcNow.AddDays(30),
                agendaCutoff = DateTimeOffset.UtcNow.AddDays(20),
                place = "Seoul",
                mode = "InPerson",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await member.GetAsync());
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.Created
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid()
            : throw new InvalidOperationException($"The meeting was not scheduled: {(int)response.StatusCode} {body}");
    }
}

/// <summary>What reached the CN person's connection of one kind of request: items or incidents.</summary>
public sealed record CommitteeDeliveries(
    int Requests, int Created, IReadOnlyDictionary<string, int> Errors, int Lost, int Doubled, Percentiles Http, Percentiles CreatedToReceived)
{
    public bool ExactlyOnce => Requests == Created && Lost == 0 && Doubled == 0;
}

public sealed record CommitteeResult(string Load, CommitteeDeliveries Items, CommitteeDeliveries Incidents, IReadOnlyList<(string Name, double Seconds)> Cpu)
{
    public bool ExactlyOnce => Items.ExactlyOnce && Incidents.ExactlyOnce;
}
