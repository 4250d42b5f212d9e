using HotlineSystem.ServiceDefaults.Input;
using System.Net.Http.Json;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>An incident worked by both parties in two browsers against the embedded host.</summary>
public sealed class IncidentPageTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task The_CN_officer_acknowledges_and_the_KR_officer_sees_it_appear_without_reloading()
    {
        var incident = await FileAsync("Acknowledge me");
        var kr = await console.SignedInAsync("kr-officer");
        var cn = await console.SignedInAsync("cn-officer");
        await kr.GotoAsync($"/incidents/{incident}");
        await cn.GotoAsync($"/incidents/{incident}");
        await Expect(kr.GetByTestId("incident-status")).ToHaveTextAsync("Reported");
        await Expect(kr.GetByTestId("acknowledge")).ToHaveCountAsync(0); // the reporting party does not acknowledge its own

        await cn.GetByTestId("acknowledge").ClickAsync();

        await Expect(cn.GetByTestId("acknowledged")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("incident-status")).ToHaveTextAsync("Acknowledged", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Expect(kr.GetByTestId("acknowledged")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(kr, "incident-acknowledged-en");
    }

    [Fact]
    public async Task The_demo_Sev1_shows_its_escalation_running_with_its_deadline_counting_down()
    {
        var sev1 = (await (await console.Host.ClientAsync("KR")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents?severity=Sev1", Requests.Json))!
            .Items.Single(i => i.Title.Contains("수출허가", StringComparison.Ordinal));
        var kr = await console.SignedInAsync("kr-officer");

        await kr.GotoAsync($"/incidents/{sev1.Id}");

        var escalation = kr.GetByTestId("escalation");
        await Expect(escalation).ToContainTextAsync("Running: the next tier is called in");
        var countdown = escalation.GetByTestId("countdown");
        await Expect(countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d+:\d\d\s*$"));
        var first = await countdown.InnerTextAsync();
        await Expect(countdown).Not.ToHaveTextAsync(first, new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 }); // it ticks
        await ConsoleBrowser.ScreenshotAsync(kr, "incident-escalation-en");
    }

    [Fact]
    public async Task An_Internal_comment_by_KR_never_reaches_a_CN_officers_pages()
    {
        var incident = await FileAsync("Internal note");
        var secret = $"Manufacturer A {Guid.NewGuid():N}"[..26];
        var kr = await console.SignedInAsync("kr-officer");
        var cn = await console.SignedInAsync("cn-officer");
        await cn.GotoAsync($"/incidents/{incident}");
        await kr.GotoAsync($"/incidents/{incident}");

        await kr.GetByTestId("comment-text").FillAsync(secret);
        await kr.GetByTestId("visibility-internal").ClickAsync();
        await kr.GetByTestId("send-comment").ClickAsync();

        var entry = kr.GetByTestId("timeline").Locator("li", new LocatorLocatorOptions { HasText = secret });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("Internal: KR only");
        await ConsoleBrowser.ScreenshotAsync(kr, "incident-internal-comment-en");

        // CN: the open page (which re-reads on every feed entry of the incident), a reload, and the board.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Expect(cn.Locator("body")).Not.ToContainTextAsync(secret);
        await cn.ReloadAsync();
        await Expect(cn.GetByTestId("timeline")).ToBeVisibleAsync();
        await Expect(cn.Locator("body")).Not.ToContainTextAsync(secret);
        await cn.GotoAsync("/");
        await Expect(cn.GetByTestId("board")).ToBeVisibleAsync();
        await Expect(cn.Locator("body")).Not.ToContainTextAsync(secret);
        await cn.GetByTestId("bell").Locator("button").First.ClickAsync();
        await Expect(cn.GetByTestId("bell-list")).ToBeVisibleAsync();
        await Expect(cn.GetByTestId("bell-list")).Not.ToContainTextAsync(secret);
        await Expect(cn.GetByTestId("bell-list")).Not.ToContainTextAsync("Manufacturer A");
    }

    [Fact]
    public async Task A_comment_is_not_sent_until_its_author_chooses_who_may_read_it()
    {
        var incident = await FileAsync("No default visibility");
        var kr = await console.SignedInAsync("kr-officer");
        await kr.GotoAsync($"/incidents/{incident}");
        await kr.GetByTestId("comment-text").FillAsync("Which audience?");

        await kr.GetByTestId("send-comment").ClickAsync();

        await Expect(kr.GetByRole(AriaRole.Alert).Filter(new LocatorFilterOptions { HasText = "Choose who may read this comment." })).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("timeline")).Not.ToContainTextAsync("Which audience?");
    }

    [Theory]
    [InlineData("en", "This field is required.")]
    [InlineData("ko", "필수 항목입니다.")]
    [InlineData("zh-Hans", "此项为必填项。")]
    public async Task A_refused_field_shows_the_servers_reason_at_the_field_in_the_readers_language(string language, string required)
    {
        var incident = await FileAsync("Empty comment");
        var kr = await console.SignedInAsync("kr-officer", language);
        await kr.GotoAsync($"/console/language?language={language}&returnUrl=/incidents/{incident}");
        await Expect(kr.GetByTestId("timeline")).ToBeVisibleAsync();

        await kr.GetByTestId("visibility-shared").ClickAsync();
        await kr.GetByTestId("send-comment").ClickAsync();

        // At its field: the text box is marked invalid and its helper line says why.
        await Expect(kr.GetByTestId("comment-text")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.Locator(".mud-input-control", new PageLocatorOptions { Has = kr.GetByTestId("comment-text") })).ToContainTextAsync(required);
        await ConsoleBrowser.ScreenshotAsync(kr, $"incident-field-error-{language}");
    }

    private async Task<Guid> FileAsync(string title)
    {
        var response = await (await console.Host.ClientAsync("KR")).PostAsJsonAsync("/api/incidents", Requests.Incident(title: title));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IncidentDetails>(Requests.Json))!.Id;
    }
}
