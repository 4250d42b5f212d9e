using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>Where the Chromium that prints minutes to PDF lives (Committee:Printing).</summary>
public sealed class PrintingSettings
{
    public const string Section = "Committee:Printing";

    /// <summary>Debian's Chromium by default; the PDF answers 503 printing-unavailable where there is none.</summary>
    public string Chromium { get; set; } = "/usr/bin/chromium";
}

/// <summary>
/// HTML to PDF through one headless Chromium, started at the first print and kept for the next
/// (a start costs about a second; a page about what its layout costs). The HTML is the service's
/// own (MinutesDocument, every text encoded); the page loads nothing from anywhere.
/// </summary>
public sealed class ChromiumPdf(IOptions<PrintingSettings> settings, ILogger<ChromiumPdf> logger) : IAsyncDisposable
{
    private static readonly string[] Arguments =
    [
        "--no-sandbox", // the service may run as root in a container, where Chromium's sandbox cannot start
        "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-extensions", "--disable-dev-shm-usage",
    ];

    // One page, kept: its renderer process has the CJK fonts loaded, which a new page would load again
    // (most of a second). Prints take turns on it; minutes are printed seldom.
    private readonly SemaphoreSlim _printing = new(1, 1);
    private IBrowser? _browser;
    private IPage? _page;

    public bool Available => File.Exists(settings.Value.Chromium);

    public async Task<byte[]> PdfAsync(string html, CancellationToken cancellationToken)
    {
        await _printing.WaitAsync(cancellationToken);
        try
        {
            var page = await PageAsync();
            await page.SetContentAsync(html, new SetContentOptions { WaitUntil = [WaitUntilNavigation.Load], CancellationToken = cancellationToken });
            await page.EvaluateExpressionAsync("document.fonts.ready"); // the CJK fonts laid out before printing
            cancellationToken.ThrowIfCancellationRequested();
            return await page.PdfDataAsync(new PdfOptions
            {
                Format = PaperFormat.A4,
                PrintBackground = true,
                MarginOptions = new MarginOptions { Top = "16mm", Bottom = "18mm", Left = "14mm", Right = "14mm" },
                DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate = "<div style=\"font-size:8px;width:100%;text-align:center\"><span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>",
            });
        }
        finally
        {
            _printing.Release();
        }
    }

    private async Task<IPage> PageAsync()
    {
        if (_browser is { IsConnected: true } && _page is { IsClosed: false })
        {
            return _page;
        }

        if (_browser is not null)
        {
            logger.LogWarning("The printing Chromium had gone; starting it again.");
            await _browser.DisposeAsync();
        }

        _browser = await Puppeteer.LaunchAsync(new LaunchOptions { ExecutablePath = settings.Value.Chromium, Headless = true, Args = Arguments });
        _page = await _browser.NewPageAsync();
        await _page.SetRequestInterceptionAsync(true);
        _page.Request += async (_, e) => await e.Request.AbortAsync(); // nothing beyond the document itself
        return _page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _printing.Dispose();
    }
}
