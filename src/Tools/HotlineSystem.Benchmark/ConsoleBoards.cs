using System.Text.Json;
using Microsoft.Playwright;

namespace HotlineSystem.Benchmark;

/// <summary>
/// Debian's Chromium, driven by Playwright (never a downloaded browser), holding the boards of the
/// console scenario: one browser context per board, so each has its own cookies and its own Blazor
/// circuit, as a person at their own machine would.
/// </summary>
public sealed class BoardBrowser : IAsyncDisposable
{
    // Nothing that reaches for the network by itself (as the console's browser tests launch it).
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BoardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public string Version => _browser.Version;

    public static async Task<BoardBrowser> LaunchAsync(string chromium)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
            });
            return new BoardBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A context of its own for the person, watching every page it loads (<see cref="BoardWatch.Script"/>):
    /// opens the console, which sends the browser to the Identity service's sign-in page; fills it in
    /// and clicks, and waits for the board's rows and its live line. The click's time is taken on this
    /// machine's clock just before Playwright is asked to click.
    /// </summary>
    public async Task<OpenBoard> SignInAsync(Uri console, BenchmarkPerson person, TimeSpan timeout)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = console.AbsoluteUri,
            Locale = "en",
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        try
        {
            context.SetDefaultTimeout((float)timeout.TotalMilliseconds);
            await context.AddInitScriptAsync(BoardWatch.Script);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await page.Locator("#userName").FillAsync(person.UserName);
            await page.Locator("#password").FillAsync(person.Password);
            var submit = page.Locator("button[type=submit]");
            await submit.WaitForAsync();
            var clickedAt = DateTimeOffset.UtcNow;
            await submit.ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(console.AbsoluteUri, StringComparison.Ordinal) && new Uri(url).AbsolutePath == "/");
            await page.WaitForFunctionAsync("() => window.__hotlineBoard && window.__hotlineBoard.firstRowsAt !== null && window.__hotlineBoard.liveAt !== null");
            var times = JsonSerializer.Deserialize<BoardWatch.FirstRender>(
                await page.EvaluateAsync<string>(BoardWatch.ReadFirstRender), BoardWatch.Json)
                ?? throw new InvalidOperationException($"The board of {person.UserName} reported no first render.");
            return new OpenBoard(context, page, person, console, clickedAt, times);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>One person's board, signed in and open, with what its page recorded.</summary>
public sealed class OpenBoard(IBrowserContext context, IPage page, BenchmarkPerson person, Uri console, DateTimeOffset clickedAt, BoardWatch.FirstRender firstRender)
    : IAsyncDisposable
{
    public BenchmarkPerson Person { get; } = person;

    public Uri Console { get; } = console;

    /// <summary>The tool's clock just before it asked for the sign-in form's submit click.</summary>
    public DateTimeOffset ClickedAt { get; } = clickedAt;

    public BoardWatch.FirstRender FirstRender { get; } = firstRender;

    /// <summary>Which of <paramref name="titles"/> the board has shown so far.</summary>
    public async Task<HashSet<string>> ShownAsync(IReadOnlyList<string> titles) =>
        [.. await page.EvaluateAsync<string[]>("titles => titles.filter(t => t in window.__hotlineBoard.seen)", titles)];

    /// <summary>Everything the page recorded since it was opened.</summary>
    public async Task<BoardWatch.Sightings> SightingsAsync() =>
        JsonSerializer.Deserialize<BoardWatch.Sightings>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__hotlineBoard)"), BoardWatch.Json)
            ?? throw new InvalidOperationException($"The board of {Person.UserName} reported nothing.");

    /// <summary>The page's wall clock (Date.now()) minus this process's, and half the round trip that bounds the difference.</summary>
    public async Task<(double OffsetMs, double UncertaintyMs)> ClockOffsetAsync()
    {
        var before = DateTimeOffset.UtcNow;
        var browser = await page.EvaluateAsync<double>("() => Date.now()");
        var after = DateTimeOffset.UtcNow;
        var middle = (before.ToUnixTimeMilliseconds() + after.ToUnixTimeMilliseconds()) / 2.0;
        return (browser - middle, (after - before).TotalMilliseconds / 2);
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}

/// <summary>
/// What each page of a board context records, in the page itself (an init script, so it is there
/// before the console's own scripts run): a MutationObserver on the whole document that, at every
/// change, reads the titles in the board's rows (<c>[data-testid=board] td[data-testid=title]</c>) and
/// notes, per title, <c>Date.now()</c> of the callback in which it was first in the DOM, and of the
/// animation frame after it (the first paint it can be in). Also: when the board first had rows and
/// when its line first said "Live"; a title in two rows at once (shown twice); a title that left the
/// rows and came back; the board replaced by something else (an error) after its first rows.
/// </summary>
public static class BoardWatch
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string Script =
        """
        (() => {
          if (window.__hotlineBoard) return;
          const board = window.__hotlineBoard = {
            firstRowsAt: null, rowsAtFirst: 0, liveAt: null,
            seen: {}, painted: {}, twice: {}, returned: {}, gone: 0, goneTexts: []
          };
          let visible = new Set();
          let present = false;
          const scan = () => {
            const now = Date.now();
            const table = document.querySelector('[data-testid="board"]');
            if (table) {
              const cells = table.querySelectorAll('td[data-testid="title"]');
              const current = new Set();
              const fresh = [];
              for (const cell of cells) {
                const title = cell.textContent.trim();
                if (current.has(title)) board.twice[title] = (board.twice[title] || 0) + 1;
                current.add(title);
                if (!(title in board.seen)) { board.seen[title] = now; fresh.push(title); }
                else if (!visible.has(title)) board.returned[title] = (board.returned[title] || 0) + 1;
              }
              if (cells.length > 0 && board.firstRowsAt === null) { board.firstRowsAt = now; board.rowsAtFirst = cells.length; }
              if (fresh.length > 0) {
                requestAnimationFrame(() => { const at = Date.now(); for (const title of fresh) board.painted[title] = at; });
              }
              visible = current;
              present = true;
            } else if (present && board.firstRowsAt !== null) {
              present = false;
              board.gone++;
              if (board.goneTexts.length < 5) {
                const main = document.querySelector('main') || document.body;
                board.goneTexts.push((main ? main.innerText : '').trim().slice(0, 200));
              }
            }
            if (board.liveAt === null) {
              const line = document.querySelector('[data-testid="line-state"]');
              if (line && line.textContent.trim() === 'Live') board.liveAt = now;
            }
          };
          new MutationObserver(scan).observe(document, { childList: true, subtree: true, characterData: true });
        })();
        """;

    /// <summary>Reads the first render's times and the console document's navigation timing.</summary>
    public const string ReadFirstRender =
        """
        () => {
          const board = window.__hotlineBoard;
          const navigation = performance.getEntriesByType('navigation')[0];
          return JSON.stringify({
            firstRowsAt: board.firstRowsAt,
            rowsAtFirst: board.rowsAtFirst,
            liveAt: board.liveAt,
            documentReceivedAt: navigation ? performance.timeOrigin + navigation.responseEnd : null,
            domContentLoadedAt: navigation ? performance.timeOrigin + navigation.domContentLoadedEventEnd : null
          });
        }
        """;

    /// <summary>
    /// Times in Unix milliseconds of the page's clock: rows first in the DOM, line first "Live", the
    /// console document's response fully received and its DOMContentLoaded handled.
    /// </summary>
    public sealed record FirstRender(double? FirstRowsAt, int RowsAtFirst, double? LiveAt, double? DocumentReceivedAt, double? DomContentLoadedAt);

    public sealed record Sightings(
        double? FirstRowsAt,
        double? LiveAt,
        Dictionary<string, double> Seen,
        Dictionary<string, double> Painted,
        Dictionary<string, int> Twice,
        Dictionary<string, int> Returned,
        int Gone,
        List<string> GoneTexts);
}
