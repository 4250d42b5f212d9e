using System.Net.Http.Json;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>The console at a tablet's width (768 px, portrait): every page fits, nothing needs sideways scrolling.</summary>
public sealed class TabletWidthTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Theory]
    [InlineData("board", "kr-officer")]
    [InlineData("incident", "kr-officer")]
    [InlineData("file", "kr-officer")]
    [InlineData("inbox", "cn-dg")]
    public async Task A_console_page_fits_a_tablet_without_sideways_scrolling(string name, string person)
    {
        var page = await console.SignedInAsync(person);
        await page.SetViewportSizeAsync(768, 1024);
        await page.GotoAsync(name switch
        {
            "board" => "/",
            "file" => "/incidents/new",
            "inbox" => "/inbox",
            _ => $"/incidents/{await AnIncidentAsync()}",
        });
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scrollWidth, clientWidth) = (widths[0], widths[1]);

        await ConsoleBrowser.ScreenshotAsync(page, $"tablet-{name}-en");
        Assert.True(scrollWidth <= clientWidth, $"{name}: the page is {scrollWidth} px wide on a {clientWidth} px screen");
        // Everything in the app bar within the screen (the bar itself hides what overflows it).
        foreach (var control in await page.Locator(".mud-appbar button, .mud-appbar a").AllAsync())
        {
            var box = await control.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= clientWidth,
                $"{name}: '{await control.InnerTextAsync()}' of the app bar lies outside the screen ({box?.X} + {box?.Width} > {clientWidth})");
        }
    }

    [Fact]
    public async Task On_a_tablet_the_navigation_opens_from_the_menu_button()
    {
        var page = await console.SignedInAsync("kr-officer");
        await page.SetViewportSizeAsync(768, 1024);
        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();

        await Expect(page.GetByTestId("line-state")).ToContainTextAsync("Live"); // the page is interactive
        await Expect(page.GetByTestId("nav-file")).Not.ToBeInViewportAsync(); // the navigation gives the page the room

        await page.GetByTestId("nav-toggle").ClickAsync();
        await Expect(page.GetByTestId("nav-file")).ToBeInViewportAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "tablet-navigation-open-en");
        await page.GetByTestId("nav-file").ClickAsync();

        await Expect(page.GetByTestId("file-submit")).ToBeVisibleAsync();
    }

    private async Task<Guid> AnIncidentAsync()
    {
        var response = await (await console.Host.ClientAsync("KR")).PostAsJsonAsync("/api/incidents", Requests.Incident(title: "Seen on a tablet"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IncidentDetails>(Requests.Json))!.Id;
    }
}
