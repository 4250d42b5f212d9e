using System.Net.Http.Headers;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>
/// The console in the distributed mode: two replicas on PostgreSQL's shared key ring, the services as
/// processes of their own on RabbitMQ, and an open board through a restart of the Notifications service
/// and of the console itself.
/// </summary>
public sealed class DistributedConsoleTests(ConsoleDeployment deployment) : IClassFixture<ConsoleDeployment>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 20_000 };

    /// <summary>Long enough for a reconnecting hub client or a reloading page after a process restart.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions AfterRestart = new() { Timeout = 90_000 };

    [Fact]
    public async Task A_sign_in_at_one_console_replica_holds_at_the_other_without_the_Identity_service()
    {
        var page = await deployment.SignedInAsync("cn-fault-officer", deployment.Consoles[0]);
        var authorizations = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/connect/authorize", StringComparison.Ordinal))
            {
                authorizations.Add(request.Url);
            }
        };

        // The same browser (cookies are per host, not per port) on the other replica: its cookie is read there.
        await page.GotoAsync(new Uri(deployment.Consoles[1], "/").AbsoluteUri);

        await Expect(page.GetByTestId("board")).ToBeVisibleAsync(Soon);
        await Expect(page.GetByTestId("line-state")).ToContainTextAsync("Live", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        Assert.StartsWith(deployment.Consoles[1].AbsoluteUri, page.Url, StringComparison.Ordinal);
        Assert.Empty(authorizations); // not signed in again behind the person's back: the cookie held
        // Held by the key ring in PostgreSQL: on one machine the replicas would also share a key folder in
        // the user's home, which replicas on different machines do not have.
        Assert.True(await deployment.ScalarAsync("SELECT count(*) FROM console.data_protection_keys") >= 1, "the console's keys are in PostgreSQL");
    }

    [Fact]
    public async Task KR_files_in_one_replica_and_CN_acknowledges_in_the_other_and_each_sees_the_other_live()
    {
        var cn = await deployment.SignedInAsync("cn-fault-officer", deployment.Consoles[1]);
        await Expect(cn.GetByTestId("line-state")).ToContainTextAsync("Live", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        var kr = await deployment.SignedInAsync("kr-fault-officer", deployment.Consoles[0]);
        var title = $"Distributed {Guid.NewGuid():N}"[..20];

        await kr.GetByTestId("nav-file").ClickAsync();
        await Choices.ChooseAsync(kr, "field-type", "Customs hold");
        await Choices.ChooseAsync(kr, "field-severity", "Sev3 moderate");
        await kr.GetByTestId("field-title").FillAsync(title);
        await kr.GetByTestId("field-description").FillAsync("Dysprosium oxide held at the border for a licence check.");
        await Choices.ChooseAsync(kr, "field-minerals", "Dy · Dysprosium (66)");
        await Choices.CloseAsync(kr);
        await kr.GetByTestId("file-submit").ClickAsync();
        await Expect(kr.Locator("h1")).ToHaveTextAsync(title, new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });

        var row = cn.GetByTestId("board").Locator("tr", new LocatorLocatorOptions { HasText = title });
        await Expect(row).ToBeVisibleAsync(Soon); // no reload: pushed through RabbitMQ and the hub
        await row.Locator("a").First.ClickAsync();
        await cn.GetByTestId("acknowledge").ClickAsync();
        await Expect(cn.GetByTestId("acknowledged")).ToBeVisibleAsync(Soon);

        await Expect(kr.GetByTestId("incident-status")).ToHaveTextAsync("Acknowledged", new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        await ConsoleBrowser.ScreenshotAsync(kr, "distributed-acknowledged-en");
    }

    [Fact]
    public async Task An_open_board_recovers_after_the_Notifications_service_restarts_and_shows_what_was_filed_meanwhile()
    {
        var cn = await deployment.SignedInAsync("cn-fault-officer", deployment.Consoles[0]);
        await Expect(cn.GetByTestId("line-state")).ToContainTextAsync("Live", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });

        await deployment.KillAsync("notifications");
        await Expect(cn.GetByTestId("line-state")).Not.ToContainTextAsync("Live", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        var title = $"Meanwhile {Guid.NewGuid():N}"[..18];
        await FileAsync(title);
        await deployment.StartAsync();

        var row = cn.GetByTestId("board").Locator("tr", new LocatorLocatorOptions { HasText = title });
        await Expect(row).ToBeVisibleAsync(AfterRestart);
        await Expect(cn.GetByTestId("line-state")).ToContainTextAsync("Live");
        await ConsoleBrowser.ScreenshotAsync(cn, "distributed-after-notifications-restart-en");
    }

    [Fact]
    public async Task An_open_board_recovers_after_its_console_replica_restarts_and_shows_what_was_filed_meanwhile()
    {
        var cn = await deployment.SignedInAsync("cn-fault-officer", deployment.Consoles[1]);
        await Expect(cn.GetByTestId("line-state")).ToContainTextAsync("Live", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });

        await deployment.KillAsync("console-2");
        var title = $"Console down {Guid.NewGuid():N}"[..21];
        await FileAsync(title);
        await deployment.StartAsync();

        // The circuit died with the process: the page reloads by itself, and the cookie (keys in PostgreSQL) still holds.
        var row = cn.GetByTestId("board").Locator("tr", new LocatorLocatorOptions { HasText = title });
        await Expect(row).ToBeVisibleAsync(AfterRestart);
        Assert.StartsWith(deployment.Consoles[1].AbsoluteUri, cn.Url, StringComparison.Ordinal);
    }

    private async Task FileAsync(string title)
    {
        using var client = new HttpClient { BaseAddress = deployment.Incidents[0] };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await deployment.FilingTokenAsync());
        await client.FileAsync(Requests.Incident(title: title));
    }
}
