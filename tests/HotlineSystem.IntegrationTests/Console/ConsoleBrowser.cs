using System.Collections.Concurrent;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), and the embedded host the
/// console runs in, started once for the test class. Screenshots go to .local/screenshots/console,
/// not committed, for a person to look at.
/// </summary>
public class ConsoleBrowser : IAsyncLifetime
{
    public static readonly string Screenshots = Path.Combine(TestInfrastructure.RepositoryRoot, ".local", "screenshots", "console");

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hotline-console-").FullName;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentDictionary<string, string> _authenticatorKeys = new();
    private IPlaywright? _playwright;

    public ConsoleBrowser()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A host configured beyond the demo's defaults (environment variables), for a fixture that needs more.</summary>
    protected ConsoleBrowser(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    public AllInOneProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await AllInOneProcess.StartAsync(_dataDirectory, _environment);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A browser of its own for one person (cookies apart), in a language, at a laptop's width.</summary>
    public async Task<IPage> SignedInAsync(string userName, string language = "en")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.AbsoluteUri,
            Locale = language,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(AllInOneProcess.DemoPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await SecondFactorIfAskedAsync(page, userName);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    /// <summary>
    /// Officials, co-chairs and administrators give an authenticator code: at the first sign-in they
    /// enrol, and the key the page shows is kept, as their authenticator app would keep it.
    /// </summary>
    private async Task SecondFactorIfAskedAsync(IPage page, string userName)
    {
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath is "/" or "/account/enrolment" or "/account/second-factor");
        var key = new Uri(page.Url).AbsolutePath switch
        {
            "/account/enrolment" => _authenticatorKeys[userName] = (await page.Locator("#authenticator-key").TextContentAsync())!.Trim(),
            "/account/second-factor" => _authenticatorKeys[userName],
            _ => null,
        };
        if (key is null)
        {
            return;
        }

        await page.Locator("#code").FillAsync(new Credentials(userName, AllInOneProcess.DemoPassword, key).CurrentCode());
        await page.Locator("button[type=submit]").ClickAsync();
    }

    /// <summary>The page as it is now, as a PNG under .local/screenshots/console.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Host?.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
