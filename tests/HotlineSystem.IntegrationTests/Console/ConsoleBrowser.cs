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
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, with nothing that would reach for the network by itself.</summary>
    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        Directory.CreateDirectory(Screenshots);
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
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
        await ArriveAsync(page, $"{userName}'s password", path => path is "/" or EnrolmentPath or SecondFactorPath);
        await SecondFactorAsync(page, userName);
        await ArriveAsync(page, $"{userName}'s second factor", path => path == "/");
        return page;
    }

    /// <summary>
    /// Signs in again where the page asks for it (the Identity server's sign-in page, after a console link
    /// that demands a fresh sign-in), with the password and a new code, and waits to be back at <paramref name="returnPath"/>.
    /// </summary>
    public async Task SignInAgainAsync(IPage page, string userName, string returnPath)
    {
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(AllInOneProcess.DemoPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await ArriveAsync(page, $"{userName}'s password, again", path => path is SecondFactorPath || path == returnPath);
        await SecondFactorAsync(page, userName);
        await ArriveAsync(page, $"{userName}'s second factor, again", path => path == returnPath);
    }

    /// <summary>Waits for the sign-in to go on; if it does not, says where it stopped and what that page said.</summary>
    private static async Task ArriveAsync(IPage page, string step, Func<string, bool> arrived)
    {
        try
        {
            await page.WaitForURLAsync(url => arrived(new Uri(url).AbsolutePath));
        }
        catch (TimeoutException exception)
        {
            var text = (await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 })).ReplaceLineEndings(" ");
            throw new TimeoutException($"After {step} the browser stayed at {page.Url}, which says: {text[..Math.Min(text.Length, 400)]}", exception);
        }
    }

    private const string EnrolmentPath = "/account/enrolment";
    private const string SecondFactorPath = "/account/second-factor";

    /// <summary>The authenticator app of each person who enrolled one (officials, co-chairs, administrators).</summary>
    private readonly Dictionary<string, Credentials> _authenticators = [];
    private readonly SemaphoreSlim _codes = new(1, 1);
    private readonly HashSet<string> _codesUsed = [];

    /// <summary>As the person with their phone: enrols the key the page shows, or types the code their app shows now.</summary>
    private async Task SecondFactorAsync(IPage page, string userName)
    {
        var path = new Uri(page.Url).AbsolutePath;
        if (path is not (EnrolmentPath or SecondFactorPath))
        {
            return;
        }

        await _codes.WaitAsync();
        try
        {
            if (path == EnrolmentPath)
            {
                var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Trim();
                _authenticators[userName] = new Credentials(userName, AllInOneProcess.DemoPassword, key);
            }

            var authenticator = _authenticators[userName];
            var code = authenticator.CurrentCode();
            // A code works once: a second sign-in in the same 30 seconds waits for the app's next code.
            while (_codesUsed.Contains($"{userName}:{code}"))
            {
                await Task.Delay(1_000);
                code = authenticator.CurrentCode();
            }

            _codesUsed.Add($"{userName}:{code}");
            await page.Locator("#code").FillAsync(code);
            await page.Locator("button[type=submit]").ClickAsync();
        }
        finally
        {
            _codes.Release();
        }
    }

    /// <summary>The page as it is now, as a PNG under .local/screenshots/console.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        // From the top: a page scrolled down would show its fixed app bar in the middle of the picture.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

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
