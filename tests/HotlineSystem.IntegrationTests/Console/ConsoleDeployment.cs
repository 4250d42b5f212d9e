using HotlineSystem.IntegrationTests.Faults;
using Microsoft.Playwright;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>
/// The distributed mode with the web console: deploy/start-distributed.sh starts Identity, one process
/// each of Incidents, Escalation and Notifications, and two console replicas that share their Data
/// Protection keys in PostgreSQL, all on a fresh database and a virtual host of their own; and
/// Debian's Chromium to look at them. The liaison officers kr-fault-officer and cn-fault-officer sign in.
/// </summary>
public sealed class ConsoleDeployment() : DistributedDeployment(firstPort: 5400, replicas: 1, consoleReplicas: 2)
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await ConsoleBrowser.LaunchChromiumAsync(_playwright);
    }

    /// <summary>A browser of its own for one person, signed in at a console replica through the Identity service's page.</summary>
    public async Task<IPage> SignedInAsync(string userName, Uri console)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = console.AbsoluteUri,
            Locale = "en",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(OfficerPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(console.AbsoluteUri, StringComparison.Ordinal) && new Uri(url).AbsolutePath == "/");
        return page;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
