using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using static HotlineSystem.IntegrationTests.Infrastructure.NotificationHubConnections;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Every class of bad input to the feed API and the hub, through the real Notifications host on
/// Kestrel: 400 problem details naming the field with a stable code, never a 500, and nothing
/// written. The caller has unread entries, so a bad mark-read that slipped through would show.
/// </summary>
public sealed class FeedBadInputTests(IncidentsAppFixture incidents, NotificationsHostFixture notifications)
    : IClassFixture<IncidentsAppFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string Feed = "/api/feed";
    private const string MarkRead = "/api/feed/read";

    private NotificationsApp App => notifications.App;

    [Theory]
    [InlineData("before=0", "before", "too-small")]
    [InlineData("before=-5", "before", "too-small")]
    [InlineData("after=-1", "after", "too-small")]
    [InlineData("before=10&after=2", "after", "one-cursor")]
    [InlineData("limit=0", "limit", "out-of-range")]
    [InlineData("limit=-1", "limit", "out-of-range")]
    [InlineData("limit=201", "limit", "out-of-range")]
    [InlineData("before=abc", "before", "invalid-value")]
    [InlineData("after=1.5", "after", "invalid-value")]
    [InlineData("after=99999999999999999999", "after", "invalid-value")]
    [InlineData("limit=ten", "limit", "invalid-value")]
    [InlineData("limit=2147483648", "limit", "invalid-value")]
    [InlineData("unreadOnly=maybe", "unreadOnly", "invalid-value")]
    public async Task A_bad_feed_query_gets_400_naming_the_parameter(string query, string field, string code)
    {
        using var client = await CallerClientAsync();

        var response = await WritesNothing(() => client.GetAsync($"{Feed}?{query}"));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Theory]
    [InlineData("limit=1")]
    [InlineData("limit=200")]
    [InlineData("after=0")]
    [InlineData("before=1")]
    [InlineData("unreadOnly=true&limit=5")]
    public async Task A_feed_query_at_the_limits_is_accepted(string query)
    {
        using var client = await CallerClientAsync();

        var response = await client.GetAsync($"{Feed}?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{}", "upTo", "one-of")]
    [InlineData("""{"upTo": null, "sequences": null}""", "upTo", "one-of")]
    [InlineData("""{"upTo": 3, "sequences": [1]}""", "upTo", "one-of")]
    [InlineData("""{"sequences": []}""", "sequences", "required")]
    [InlineData("""{"upTo": 0}""", "upTo", "too-small")]
    [InlineData("""{"upTo": -1}""", "upTo", "too-small")]
    [InlineData("""{"sequences": [1, -2]}""", "sequences[1]", "too-small")]
    [InlineData("""{"sequences": [0]}""", "sequences[0]", "too-small")]
    public async Task A_mark_read_with_neither_both_or_invalid_sequences_gets_400_naming_the_field(string body, string field, string code)
    {
        var response = await WritesNothing(() => PostAsync(MarkRead, body));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Fact]
    public async Task A_mark_read_of_more_than_500_sequences_gets_400_too_many()
    {
        var body = $$"""{"sequences": [{{string.Join(", ", Enumerable.Range(1, MarkReadRequest.MaxSequences + 1))}}]}""";

        var response = await WritesNothing(() => PostAsync(MarkRead, body));

        await response.AssertFieldErrorAsync("sequences", "too-many");
    }

    // A number in quotes ("7") is read as the number: ASP.NET Core's web defaults, the same in every service.
    [Theory]
    [InlineData("""{"upTo": "all"}""", "upTo")]
    [InlineData("""{"upTo": 1.5}""", "upTo")]
    [InlineData("""{"upTo": 99999999999999999999}""", "upTo")]
    [InlineData("""{"sequences": 1}""", "sequences")]
    [InlineData("""{"sequences": ["one"]}""", "sequences[0]")]
    [InlineData("""{"sequences": [1, null]}""", "sequences[1]")]
    public async Task A_mark_read_value_of_the_wrong_type_gets_400_invalid_value(string body, string field)
    {
        var response = await WritesNothing(() => PostAsync(MarkRead, body));

        await response.AssertFieldErrorAsync(field, "invalid-value");
    }

    [Theory]
    [InlineData("""{"upTo": """)]
    [InlineData("""{"upTo": 1,}""")]
    [InlineData("""{ upTo: 1 }""")]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    public async Task A_malformed_mark_read_gets_400_malformed_json(string body)
    {
        var response = await WritesNothing(() => PostAsync(MarkRead, body));

        await response.AssertFieldErrorAsync(field: null, "malformed-json");
    }

    [Theory]
    [InlineData("""{"upTo": 1000, "userId": "someone-else"}""", "userId")]
    [InlineData("""{"upTo": 1000, "party": "KR"}""", "party")]
    [InlineData("""{"sequences": [1], "readAt": "2026-01-01T00:00:00Z"}""", "readAt")]
    public async Task An_unknown_field_in_a_mark_read_gets_400_naming_it(string body, string field)
    {
        var response = await WritesNothing(() => PostAsync(MarkRead, body));

        await response.AssertFieldErrorAsync(field, "unknown-field");
    }

    [Fact]
    public async Task An_empty_mark_read_gets_400_body_required()
    {
        var response = await WritesNothing(() => PostAsync(MarkRead, ""));

        await response.AssertFieldErrorAsync("$", "body-required");
    }

    [Fact]
    public async Task A_mark_read_that_is_not_json_by_content_type_gets_415()
    {
        using var client = await CallerClientAsync();

        var response = await WritesNothing(() => client.PostAsync(MarkRead, new StringContent("""{"upTo": 1000}""", Encoding.UTF8, "text/plain")));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task A_negative_or_non_numeric_catch_up_over_the_hub_is_refused_and_the_connection_goes_on()
    {
        var caller = await CallerAsync();
        await using var hub = App.HubConnection(await NotificationsApp.TokenAsync(caller.Name, "CN", HotlineRoles.LiaisonOfficer));
        await hub.StartAsync();

        var negative = await WritesNothing(() => Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, -1L)));
        var smallest = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, long.MinValue));
        var text = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, "all"));
        var control = await hub.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);

        Assert.Contains("invalid-sequence", negative.Message, StringComparison.Ordinal);
        Assert.Contains("invalid-sequence", smallest.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid-sequence", text.Message, StringComparison.Ordinal); // refused by SignalR's binding, before the hub
        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.NotEmpty(control.Entries);
    }

    /// <summary>Runs the call and asserts it wrote nothing: no entry added, none marked read, no sequence handed out.</summary>
    private async Task<T> WritesNothing<T>(Func<Task<T>> call)
    {
        var caller = await CallerAsync();
        var before = await RecordsAsync();
        Assert.True(await App.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == caller.UserId && e.ReadAt == null)),
            "The caller has no unread entry: a mark-read that slipped through would not show.");

        var result = await call();

        Assert.Equal(before, await RecordsAsync());
        return result;
    }

    private Task<(int Entries, int Read, long Sequences)> RecordsAsync() =>
        App.InDatabase(async db => (
            await db.FeedEntries.CountAsync(),
            await db.FeedEntries.CountAsync(e => e.ReadAt != null),
            await db.Feeds.SumAsync(f => f.LastSequence)));

    private async Task<HttpResponseMessage> PostAsync(string uri, string body)
    {
        using var client = await CallerClientAsync();
        return await client.PostAsync(uri, new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private async Task<HttpClient> CallerClientAsync()
    {
        var caller = await CallerAsync();
        var client = new HttpClient { BaseAddress = App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await NotificationsApp.TokenAsync(caller.Name, "CN", HotlineRoles.LiaisonOfficer));
        return client;
    }

    /// <summary>A CN liaison officer with two unread entries: two incidents KR filed.</summary>
    private Task<Caller> CallerAsync() => notifications.OnceAsync("caller", async () =>
    {
        var name = notifications.Name("bad-cn");
        var userId = await App.PersonAsync(name, "CN", HotlineRoles.LiaisonOfficer);
        var kr = incidents.App.ClientFor(notifications.Name("bad-kr"), "KR", HotlineRoles.LiaisonOfficer);
        await kr.FileAsync(Requests.Incident(title: "Bad input: Nd held at Tianjin"));
        await kr.FileAsync(Requests.Incident(title: "Bad input: Dy held at Dalian"));
        await EventuallyAsync(() => App.InDatabase(async db => await db.FeedEntries.CountAsync(e => e.UserId == userId) == 2), "the two entries of the caller");
        return new Caller(name, userId);
    });

    private sealed record Caller(string Name, string UserId);
}
