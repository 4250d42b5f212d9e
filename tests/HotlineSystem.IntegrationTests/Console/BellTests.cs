using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>The notification bell: the person's feed, live, with its unread count.</summary>
public sealed class BellTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_new_incident_rings_the_CN_officers_bell_live_and_marking_read_clears_the_count()
    {
        var cn = await console.SignedInAsync("cn-officer");
        await Expect(cn.GetByTestId("board")).ToBeVisibleAsync();
        // The count before the incident is the feed's, not the bell's zero before its first read.
        await Expect(cn.Locator("[data-testid=bell-count][data-loaded=true]")).ToHaveCountAsync(1);
        var badge = cn.GetByTestId("bell-count").Locator(".mud-badge");
        var before = await badge.CountAsync() == 0 ? 0 : int.Parse(await badge.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var title = $"Bell {Guid.NewGuid():N}"[..14];

        await (await console.Host.ClientAsync("KR")).FileAsync(Requests.Incident(title: title));

        await Expect(badge).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await cn.GetByTestId("bell").Locator("button").First.ClickAsync();
        await Expect(cn.GetByTestId("bell-list")).ToContainTextAsync(title);
        await Task.Delay(500); // the menu's opening animation, for the screenshot
        await ConsoleBrowser.ScreenshotAsync(cn, "bell-en");

        await cn.GetByTestId("mark-all-read").ClickAsync();

        await Expect(badge).ToBeHiddenAsync();
    }

    [Fact]
    public async Task An_entry_opened_from_the_bell_is_read_and_shows_its_incident()
    {
        var cn = await console.SignedInAsync("cn-officer");
        await Expect(cn.Locator("[data-testid=bell-count][data-loaded=true]")).ToHaveCountAsync(1);
        var badge = cn.GetByTestId("bell-count").Locator(".mud-badge");
        var before = await badge.CountAsync() == 0 ? 0 : int.Parse(await badge.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var title = $"Opened {Guid.NewGuid():N}"[..16];
        var incident = await (await console.Host.ClientAsync("KR")).FileAsync(Requests.Incident(title: title));
        await Expect(badge).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });

        await cn.GetByTestId("bell").Locator("button").First.ClickAsync();
        await cn.GetByTestId("bell-entry").Filter(new LocatorFilterOptions { HasText = title }).ClickAsync();

        await cn.WaitForURLAsync($"**/incidents/{incident.Id}");
        await Expect(cn.Locator("h1")).ToContainTextAsync(title);
        if (before == 0)
        {
            await Expect(badge).ToBeHiddenAsync();
        }
        else
        {
            await Expect(badge).ToHaveTextAsync(before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
