using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.IntegrationTests.Infrastructure;

namespace HotlineSystem.IntegrationTests.Faults;

/// <summary>
/// Liaison officers' clients as the issue describes them: each files incidents one after another, and
/// a filing that is refused (503), cut off or not answered is sent again with the same request id, to
/// the other replica, until it is accepted. What was accepted is what must exist exactly once.
/// </summary>
public sealed class RetryingFilers(IReadOnlyList<Uri> replicas, string token)
{
    private const int Clients = 4;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    private int _refused;
    private int _cutOff;
    private int _next;

    /// <summary>Request id → incident id of every filing the service accepted (201, or 200 for a repeat).</summary>
    public ConcurrentDictionary<Guid, Guid> Accepted { get; } = new();

    /// <summary>Answers no retry can change (4xx other than 408/429, any 5xx but 503): each is a defect.</summary>
    public ConcurrentBag<string> Wrong { get; } = [];

    public int Refused => _refused;

    public int CutOff => _cutOff;

    /// <summary>Files until <paramref name="stop"/>; a filing under way when it comes is still retried until accepted.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await FileUntilAcceptedAsync(Guid.NewGuid());
                await Task.Delay(Pause, CancellationToken.None);
            }
        }));

    private async Task FileUntilAcceptedAsync(Guid requestId)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (DateTime.UtcNow < deadline)
        {
            var replica = replicas[(int)((uint)Interlocked.Increment(ref _next) % replicas.Count)];
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(replica, "api/incidents")) { Content = JsonContent.Create(Requests.Incident(requestId)) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            try
            {
                using var response = await _http.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Accepted[requestId] = incident.GetProperty("id").GetGuid();
                    return;
                }

                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref _refused);
                    var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(retryAfter < TimeSpan.FromSeconds(1) ? retryAfter : TimeSpan.FromSeconds(1));
                    continue;
                }

                Wrong.Add($"{(int)response.StatusCode} from {replica}: {await response.Content.ReadAsStringAsync()}");
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Refused connection (the process is dead or starting), reset or no answer: the same request again.
                Interlocked.Increment(ref _cutOff);
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            }
        }

        Wrong.Add($"request {requestId} not accepted within {GiveUpAfter.TotalMinutes:0} minutes");
    }
}
