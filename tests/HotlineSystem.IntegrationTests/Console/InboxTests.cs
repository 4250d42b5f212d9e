using System.Net.Http.Json;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>An official's escalation inbox: what climbed to them, important first, acknowledged from there.</summary>
public sealed class InboxTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_CN_Director_General_acknowledges_from_the_inbox_an_escalation_that_reached_them()
    {
        var dg = await console.SignedInAsync("cn-dg");
        await dg.GetByTestId("nav-inbox").ClickAsync();
        await Expect(dg.Locator("h1")).ToHaveTextAsync("Escalations that reached you");
        var title = $"Unanswered {Guid.NewGuid():N}"[..19];

        // KR files a Sev1, and its officer escalates by hand: tier 1 (CN's liaison officer), then tier 2, CN's Director-General.
        var kr = await console.Host.ClientAsync("KR");
        var incident = await kr.FileAsync(Requests.Incident(title: title, severity: "Sev1"));
        using var escalation = await EscalationClientAsync();
        await EscalateAsync(escalation, incident.Id);
        await EscalateAsync(escalation, incident.Id);

        var item = dg.GetByTestId("inbox-item").Filter(new LocatorFilterOptions { HasText = title });
        await Expect(item).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 }); // live, no reload
        await Expect(item.GetByTestId("inbox-important")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(dg, "inbox-escalated-en");

        await item.GetByTestId("inbox-acknowledge").ClickAsync();

        await Expect(item.GetByTestId("inbox-state")).ToContainTextAsync("Acknowledged by CN");
        var acknowledged = await kr.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{incident.Id}", Requests.Json);
        Assert.Equal("Acknowledged", acknowledged!.Status.ToString());
        foreach (var language in new[] { "ko", "zh-Hans" })
        {
            await dg.GotoAsync($"/console/language?language={language}&returnUrl=/inbox");
            await Expect(dg.GetByTestId("inbox-item").Filter(new LocatorFilterOptions { HasText = title })).ToBeVisibleAsync();
            await ConsoleBrowser.ScreenshotAsync(dg, $"inbox-escalated-{language}");
        }
    }

    [Fact]
    public async Task An_official_may_open_the_incident_but_not_comment_on_it()
    {
        var incident = await (await console.Host.ClientAsync("KR")).FileAsync(Requests.Incident(title: "Read by an official"));
        var dg = await console.SignedInAsync("cn-dg");

        await dg.GotoAsync($"/incidents/{incident.Id}");

        await Expect(dg.Locator("h1")).ToHaveTextAsync("Read by an official");
        await Expect(dg.GetByTestId("acknowledge")).ToBeVisibleAsync();
        await Expect(dg.GetByTestId("comment-text")).ToHaveCountAsync(0);
    }

    private async Task<HttpClient> EscalationClientAsync()
    {
        var client = new HttpClient { BaseAddress = console.Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", await console.Host.AccessTokenAsync("KR", "openid profile escalation"));
        return client;
    }

    /// <summary>Manual escalation to the next tier, once the escalation exists (it starts when Escalation hears of the filing).</summary>
    private static async Task EscalateAsync(HttpClient escalation, Guid incidentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await escalation.PostAsJsonAsync($"/api/escalations/{incidentId}/manual", new { reason = "No answer on the line" });
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow < deadline,
                $"manual escalation: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }
    }
}
