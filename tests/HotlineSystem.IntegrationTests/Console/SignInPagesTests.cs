using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>
/// The Identity service's sign-in and enrolment pages in a real browser, reached from the console,
/// at a tablet's width, in each language: the texts, the QR code, keyboard use and axe-core.
/// </summary>
public sealed class SignInPagesTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Theory]
    [InlineData("en", "Sign in", "User name", "kr-cochair")]
    [InlineData("ko", "로그인", "사용자 이름", "cn-cochair")]
    [InlineData("zh-Hans", "登录", "用户名", "kr-admin")]
    public async Task The_sign_in_and_enrolment_pages_speak_the_consoles_language(string language, string signIn, string userName, string person)
    {
        var page = await TabletAsync(language);

        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("h1")).ToHaveTextAsync(signIn);
        await Expect(page.GetByLabel(userName)).ToBeFocusedAsync();
        await NoSeriousViolationsAsync(page, $"sign-in ({language})");
        await ConsoleBrowser.ScreenshotAsync(page, $"identity-sign-in-{language}");

        // By keyboard alone: type, tab, type, Enter.
        await page.Keyboard.TypeAsync(person);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(AllInOneProcess.DemoPassword);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/enrolment");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        var qr = page.Locator("img#authenticator-qr");
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "The QR code image did not load.");
        await Expect(page.Locator("#authenticator-key")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-7]{16,}$"));
        await Expect(page.Locator("#code")).ToBeFocusedAsync();
        await NoSeriousViolationsAsync(page, $"enrolment ({language})");
        await ConsoleBrowser.ScreenshotAsync(page, $"identity-enrolment-{language}");

        await page.Locator("#code").FillAsync("000000");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#code-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#code")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleBrowser.ScreenshotAsync(page, $"identity-enrolment-wrong-code-{language}");
    }

    /// <summary>A browser of its own (no session yet) whose console language is <paramref name="language"/>, at a tablet's width.</summary>
    private async Task<IPage> TabletAsync(string language)
    {
        var context = await console.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = console.Host.BaseAddress.AbsoluteUri,
            Locale = "en-GB", // the browser says English: the language chosen in the console must win
            ViewportSize = new ViewportSize { Width = 768, Height = 1024 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/console/language?language={language}&returnUrl=/");
        return page;
    }

    private static async Task NoSeriousViolationsAsync(IPage page, string name)
    {
        var serious = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("\n", serious.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help} — " + string.Join("; ", violation.Nodes.Take(3).Select(n => n.Html));
}
