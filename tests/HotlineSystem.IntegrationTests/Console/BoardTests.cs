using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>The liaison officers' board in a real browser against the embedded host.</summary>
public sealed class BoardTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_CN_officer_sees_a_KR_filing_appear_on_the_board_without_reloading()
    {
        var cn = await console.SignedInAsync("cn-officer");
        var board = cn.GetByTestId("board");
        await Expect(board).ToBeVisibleAsync();
        await Expect(cn.GetByTestId("line-state")).ToContainTextAsync("Live");

        var title = $"Live board {Guid.NewGuid():N}"[..20];
        await (await console.Host.ClientAsync("KR")).FileAsync(Requests.Incident(title: title));

        var row = board.Locator("tr", new LocatorLocatorOptions { HasText = title });
        await Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync("New");
        await ConsoleBrowser.ScreenshotAsync(cn, "board-live-en");
    }

    [Theory]
    [InlineData("en", "Incidents on your channels", "Sev1 critical")]
    [InlineData("ko", "우리 채널의 사건", "1등급 긴급")]
    [InlineData("zh-Hans", "本方渠道的事件", "一级 危急")]
    public async Task The_board_speaks_the_officers_language(string language, string heading, string sev1)
    {
        var kr = await console.SignedInAsync("kr-officer", language);
        await kr.GotoAsync($"/console/language?language={language}&returnUrl=/");

        await Expect(kr.Locator("h1")).ToHaveTextAsync(heading);
        await Expect(kr.GetByTestId("board")).ToContainTextAsync(sev1);
        await ConsoleBrowser.ScreenshotAsync(kr, $"board-{language}");
    }

    [Fact]
    public async Task A_busy_board_shows_the_newest_fifty_and_more_on_request()
    {
        var kr = await console.Host.ClientAsync("KR");
        for (var i = 0; i < 50; i++)
        {
            await kr.FileAsync(Requests.Incident(title: $"Busy day {i:00}"));
        }

        var cn = await console.SignedInAsync("cn-officer");
        var rows = cn.GetByTestId("board").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToContainTextAsync("Busy day 49"); // the newest first
        await Expect(cn.GetByTestId("incident-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^50 of \d+ incidents shown$"));

        await cn.GetByTestId("board-more").ClickAsync();

        await Expect(rows.Nth(50)).ToBeVisibleAsync();
        Assert.InRange(await rows.CountAsync(), 51, 100);
        await Expect(cn.GetByTestId("board-more")).ToHaveCountAsync(0);
    }
}
