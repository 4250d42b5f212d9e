using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>The measures page in a real browser against the embedded host and its demo data.</summary>
public sealed class MeasuresTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Theory]
    [InlineData("en", "Hotline measures", "Sev2 high", "hours", "1–3 days")]
    [InlineData("ko", "핫라인 대응 지표", "2등급 높음", "시간", "1–3일")]
    [InlineData("zh-Hans", "热线响应指标", "二级 高", "小时", "1–3 天")]
    public async Task A_liaison_officer_sees_the_channels_times_and_open_incidents_as_charts_with_their_figures(
        string language, string heading, string sev2, string hours, string oneToThreeDays)
    {
        // The demo: KR reported a Sev2 that CN acknowledged two hours later, and three incidents are
        // open. One more, filed by KR and resolved at once, so that the time to resolve has a bar too.
        await FileAcknowledgedAndResolvedAsync();
        var kr = await console.SignedInAsync("kr-officer", language);

        await kr.GotoAsync($"/console/language?language={language}&returnUrl=/measures");

        await Expect(kr.Locator("h1")).ToHaveTextAsync(heading);
        var acknowledge = kr.GetByTestId("acknowledge");
        await Expect(acknowledge.GetByTestId("acknowledge-chart").Locator("svg").First).ToBeVisibleAsync();
        var high = acknowledge.GetByTestId("acknowledge-figures").Locator("tbody tr", new LocatorLocatorOptions { HasText = sev2 });
        await Expect(high.Locator("td")).ToHaveTextAsync([sev2, "KR", "1", "1", "2", "2"]);
        await Expect(acknowledge.GetByTestId("acknowledge-figures").Locator("thead")).ToContainTextAsync(hours);

        var resolve = kr.GetByTestId("resolve");
        await Expect(resolve.GetByTestId("resolve-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(resolve.GetByTestId("resolve-figures").Locator("tbody")).ToContainTextAsync("KR");

        var open = kr.GetByTestId("open");
        await Expect(open.GetByTestId("open-chart").Locator("svg").First).ToBeVisibleAsync();
        var buckets = open.GetByTestId("open-figures").Locator("tbody tr");
        await Expect(buckets.Nth(0).Locator("td").Last).ToHaveTextAsync("2"); // the Sev1 and the Sev3, filed hours ago
        await Expect(buckets.Nth(1).Locator("th")).ToHaveTextAsync(oneToThreeDays);
        await Expect(buckets.Nth(1).Locator("td").Last).ToHaveTextAsync("1"); // the Sev2, 30 hours old
        await ConsoleBrowser.ScreenshotAsync(kr, $"measures-{language}");
    }

    [Fact]
    public async Task A_committee_member_finds_the_times_in_the_menu_but_not_the_open_incidents()
    {
        var member = await console.SignedInAsync("kr-member");
        await Expect(member.GetByTestId("nav-file")).ToHaveCountAsync(0);

        await member.GetByTestId("nav-measures").ClickAsync();

        await Expect(member.Locator("h1")).ToHaveTextAsync("Hotline measures");
        await Expect(member.GetByTestId("acknowledge-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(member.GetByTestId("open-not-for-role")).ToBeVisibleAsync();
        await Expect(member.GetByTestId("open")).ToHaveCountAsync(0);
        await ConsoleBrowser.ScreenshotAsync(member, "measures-committee-member-en");
    }

    private async Task FileAcknowledgedAndResolvedAsync()
    {
        var kr = await console.Host.ClientAsync("KR");
        var cn = await console.Host.ClientAsync("CN");
        var filed = await kr.FileAsync(Requests.Incident(title: "Resolved at once", severity: "Sev3"));
        var acknowledged = await (await cn.SendAsync(Requests.Post($"/api/incidents/{filed.Id}/acknowledgement").WithIfMatch(filed.Version)))
            .EnsureSuccessStatusCode().ReadAsync<IncidentDetails>();
        (await kr.SendAsync(Requests.Post($"/api/incidents/{filed.Id}/status", new { status = "Resolved", reason = "Papers accepted" })
            .WithIfMatch(acknowledged.Version))).EnsureSuccessStatusCode();

        // Escalation learns of it from the bus: wait until its measures count the resolution.
        using var escalation = new HttpClient { BaseAddress = console.Host.BaseAddress };
        escalation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await console.Host.AccessTokenAsync("KR", "openid profile offline_access escalation"));
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var measures = await escalation.GetFromJsonAsync<JsonElement>("/api/escalation-measures?channel=KR-CN");
            if (measures.GetProperty("rows").EnumerateArray().Any(r => r.GetProperty("reportingParty").GetString() == "KR" && r.GetProperty("resolved").GetInt32() > 0))
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "Escalation's measures did not count the resolution within 30 s.");
            await Task.Delay(250);
        }
    }
}
