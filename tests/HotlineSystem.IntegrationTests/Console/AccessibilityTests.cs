using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>axe-core (Deque) on every page of the console, in every language: no serious or critical violation.</summary>
public sealed class AccessibilityTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    public static TheoryData<string, string> PagesAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in new[] { "board", "incident", "file", "inbox", "measures", "people", "policies", "rosters", "channels", "committees" })
        {
            foreach (var language in new[] { "en", "ko", "zh-Hans" })
            {
                data.Add(page, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesAndLanguages))]
    public async Task A_console_page_has_no_serious_or_critical_accessibility_violation(string name, string language)
    {
        var administration = name is "people" or "policies" or "rosters" or "channels";
        var page = await console.SignedInAsync(name switch { "inbox" => "kr-dg", "committees" => "kr-member", _ when administration => "kr-admin", _ => "kr-officer" }, language);
        var path = name switch
        {
            "board" => "/",
            "file" => "/incidents/new",
            "inbox" => "/inbox",
            "measures" => "/measures",
            "committees" => "/committees",
            _ when administration => $"/admin/{name}",
            _ => $"/incidents/{await AnIncidentAsync()}",
        };
        await page.GotoAsync($"/console/language?language={language}&returnUrl={Uri.EscapeDataString(path)}");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
        if (name == "policies")
        {
            await page.GetByTestId("edit-KR-CN-Sev1").ClickAsync(); // the tier editor too
        }
        else if (name == "rosters")
        {
            await page.GetByTestId("add-rotation").ClickAsync(); // the rotation editor too
        }

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{name} ({language}): " + string.Join("\n", serious.Select(Describe)));
        await ConsoleBrowser.ScreenshotAsync(page, $"{name}-{language}");
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help} — " + string.Join("; ", violation.Nodes.Take(3).Select(n => n.Html));

    private async Task<Guid> AnIncidentAsync()
    {
        var response = await (await console.Host.ClientAsync("KR")).PostAsJsonAsync("/api/incidents", Requests.Incident(title: "Accessible incident"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IncidentDetails>(Requests.Json))!.Id;
    }
}
