using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotlineSystem.BuildingBlocks.Security;

namespace HotlineSystem.Benchmark;

/// <summary>
/// One POST /api/incidents: what was sent, what came back, and when (Stopwatch ticks; the 201's arrival
/// also on the wall clock, to compare with times another process on this machine took, e.g. a browser).
/// </summary>
public readonly record struct Filing(Guid RequestId, Guid? IncidentId, int Status, long SentAt, long RespondedAt, string? Error)
{
    public DateTimeOffset RespondedAtUtc { get; init; }

    public bool Created => Status == (int)HttpStatusCode.Created && IncidentId is not null;

    public double HttpMs => Stopwatch.GetElapsedTime(SentAt, RespondedAt).TotalMilliseconds;
}

/// <summary>
/// Files incidents on one channel with the tool client's bearer token (a liaison officer of the
/// filing party, by client credentials), a fresh request id each, round-robin over the replicas
/// given. The body is the one the integration tests file (tests/.../Requests.cs); it is built once
/// and only the request id changes. With <c>uniqueTitles</c> the title ends in the request id too
/// (<see cref="TitleOf"/>), so that a page showing only titles still tells the incidents apart.
/// </summary>
public sealed class IncidentFiler : IDisposable
{
    private readonly HttpClient _client;
    private readonly AccessTokens _tokens;
    private readonly Uri[] _targets;
    public const string Title = "Customs hold on NdFeB magnets at Tianjin";

    private readonly byte[] _bodyStart;
    private readonly byte[] _bodyTitle;
    private readonly byte[] _bodyEnd;
    private readonly bool _uniqueTitles;
    private int _next;

    public IncidentFiler(IReadOnlyList<Uri> incidentsUrls, AccessTokens tokens, ChannelCode channel, bool uniqueTitles = false)
    {
        _uniqueTitles = uniqueTitles;
        _tokens = tokens;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _targets = incidentsUrls.Select(url => new Uri(url, "/api/incidents")).ToArray();

        var startedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _bodyStart = Encoding.UTF8.GetBytes("{\"requestId\":\"");
        _bodyTitle = Encoding.UTF8.GetBytes($"\",\"title\":\"{Title}");
        _bodyEnd = Encoding.UTF8.GetBytes(
            $$"""
            ","channel":"{{channel}}","type":"customs-hold","severity":"Sev2","description":"Three shipments held pending additional documents; about three weeks of inventory cover.","language":"en","minerals":["Nd","Dy"],"hsCodes":["8505.11","2805.30.1000"],"sectors":["permanent-magnets","electric-vehicles"],"quantityTonnes":42.5,"inventoryCoverDays":21,"startedOn":"{{startedOn}}","counterpartAgency":"Tianjin Customs"}
            """);
    }

    public async Task<Filing> FileAsync(CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var target = _targets[(uint)Interlocked.Increment(ref _next) % _targets.Length];
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(Body(requestId)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Current);

        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var respondedAt = Stopwatch.GetTimestamp();
            var respondedAtUtc = DateTimeOffset.UtcNow;
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var incidentId = response.StatusCode == HttpStatusCode.Created ? IncidentIdFrom(response.Headers.Location) : null;
            return new Filing(requestId, incidentId, (int)response.StatusCode, sentAt, respondedAt, null) { RespondedAtUtc = respondedAtUtc };
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Filing(requestId, null, 0, sentAt, Stopwatch.GetTimestamp(), exception.GetType().Name);
        }
    }

    /// <summary>The title an incident filed with unique titles has: the fixed title, then " #" and the request id's 32 hex digits.</summary>
    public static string TitleOf(Guid requestId) => $"{Title} #{requestId:N}";

    /// <summary>The request id in a title that <see cref="TitleOf"/> made, or null for any other title.</summary>
    public static Guid? RequestIdIn(string title) =>
        title.Length == Title.Length + 34 && title.StartsWith(Title + " #", StringComparison.Ordinal)
            && Guid.TryParseExact(title.AsSpan(Title.Length + 2), "N", out var requestId)
            ? requestId
            : null;

    private byte[] Body(Guid requestId)
    {
        var marker = _uniqueTitles ? 34 : 0; // " #" and 32 hex digits
        var body = new byte[_bodyStart.Length + 36 + _bodyTitle.Length + marker + _bodyEnd.Length];
        var at = 0;
        _bodyStart.CopyTo(body, at);
        at += _bodyStart.Length;
        at += Encoding.ASCII.GetBytes(requestId.ToString("D"), body.AsSpan(at));
        _bodyTitle.CopyTo(body, at);
        at += _bodyTitle.Length;
        if (_uniqueTitles)
        {
            at += Encoding.ASCII.GetBytes(" #" + requestId.ToString("N"), body.AsSpan(at));
        }

        _bodyEnd.CopyTo(body, at);
        return body;
    }

    // The Location of a 201 is /api/incidents/{id}.
    private static Guid? IncidentIdFrom(Uri? location) =>
        location is not null && Guid.TryParse(location.OriginalString.AsSpan(location.OriginalString.LastIndexOf('/') + 1), out var id) ? id : null;

    public void Dispose() => _client.Dispose();
}
