using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using HotlineSystem.Identity.Account;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>
/// The sign-in pages as the browser gets them: rendered by Razor through the real page results,
/// every text from AccountTexts in the page's language, and the enrolment's QR code readable.
/// </summary>
public sealed class AccountPagesTests
{
    private static readonly string Resources = Path.Combine(TestPaths.RepositoryRoot, "src", "Services", "Identity", "HotlineSystem.Identity", "Account");

    private const string AuthorizeUrl = "/connect/authorize?client_id=hotline-web&state=x";

    public static TheoryData<string> Languages() => new() { "en", "ko", "zh-Hans" };

    public static TheoryData<string> Translations() => new() { "ko", "zh-Hans" };

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_text_is_translated_and_not_left_in_English(string language)
    {
        var english = Texts("en");
        var translated = Texts(language);

        Assert.Equal(english.Keys.Order(), translated.Keys.Order());
        Assert.All(translated, text => Assert.False(string.IsNullOrWhiteSpace(text.Value), $"{language}: {text.Key} is empty"));
        var same = translated.Where(t => t.Value == english[t.Key]).Select(t => t.Key).ToList();
        Assert.True(same.Count == 0, $"{language}: not translated: {string.Join(", ", same)}");
    }

    [Fact]
    public void Every_error_has_a_text() =>
        Assert.All(Enum.GetNames<AccountError>(), name => Assert.Contains("Error_" + name, Texts("en").Keys));

    [Fact]
    public void Every_text_a_page_names_is_in_the_texts()
    {
        var keys = Texts("en").Keys.ToHashSet();
        var named = Directory.GetFiles(Resources, "*.razor").Concat(Directory.GetFiles(Resources, "AccountEndpoints.cs"))
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), """(?:Texts\[|Message\(http, )"(\w+)"[\],]""").Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.True(keys.Contains(name.Key), $"{name.File} names {name.Key}, which AccountTexts.resx has not"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_sign_in_page_is_in_its_language_with_every_field_labelled(string language)
    {
        var texts = Texts(language);

        var (http, page) = await RenderAsync((http, antiforgery) => AccountPages.SignIn(http, antiforgery, AuthorizeUrl, userName: null, error: null, StatusCodes.Status200OK), language);

        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal($"{texts["SignIn"]} · {texts["AppName"]}", page.Title);
        Assert.Equal(texts["SignIn"], page.QuerySelector("h1")!.TextContent);
        Assert.Equal(texts["UserName"], LabelOf(page, "userName"));
        Assert.Equal(texts["Password"], LabelOf(page, "password"));
        Assert.Equal(texts["SignIn"], page.QuerySelector("button[type=submit]")!.TextContent);
        Assert.Equal(texts["Language"], page.QuerySelector("nav")!.GetAttribute("aria-label"));
        Assert.Equal(language, page.QuerySelector("nav a[aria-current]")!.GetAttribute("lang"));
        // What the form posts, under the names the handlers (and the tools that sign in) read.
        Assert.Equal(["__RequestVerificationToken", "returnUrl", "userName", "password"], page.QuerySelectorAll("form[method=post][action='/account/sign-in'] input").Select(i => i.GetAttribute("name")));
        Assert.Equal(AuthorizeUrl, page.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
        Assert.NotEmpty(page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);
        Assert.Empty(page.QuerySelectorAll("script"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task A_refused_sign_in_says_why_next_to_the_password_and_keeps_the_user_name(string language)
    {
        var (http, page) = await RenderAsync((http, antiforgery) =>
            AccountPages.SignIn(http, antiforgery, AuthorizeUrl, "kr-officer", AccountError.LockedOut, StatusCodes.Status400BadRequest), language);

        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        var error = page.QuerySelector("#password + .error")!;
        Assert.Equal(Texts(language)["Error_LockedOut"], error.TextContent);
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Equal("password-error", page.QuerySelector("#password")!.GetAttribute("aria-describedby"));
        Assert.Equal("password-error", page.QuerySelector("#userName")!.GetAttribute("aria-describedby"));
        Assert.Equal("true", page.QuerySelector("#userName")!.GetAttribute("aria-invalid"));
        Assert.Equal("kr-officer", page.QuerySelector("#userName")!.GetAttribute("value"));
        Assert.Null(page.QuerySelector("#password")!.GetAttribute("value"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_second_factor_page_asks_for_the_code_in_its_language(string language)
    {
        var texts = Texts(language);

        var (_, page) = await RenderAsync((http, antiforgery) =>
            AccountPages.SecondFactor(http, antiforgery, AuthorizeUrl, AccountError.InvalidCode, StatusCodes.Status400BadRequest), language);

        Assert.Equal(texts["SecondFactorTitle"], page.QuerySelector("h1")!.TextContent);
        Assert.Equal(texts["SecondFactorPrompt"], page.QuerySelector("main > p")!.TextContent);
        Assert.Equal(texts["Code"], LabelOf(page, "code"));
        Assert.Equal(texts["Verify"], page.QuerySelector("button[type=submit]")!.TextContent);
        Assert.Equal(texts["Error_InvalidCode"], page.QuerySelector("#code-error")!.TextContent);
        Assert.Equal("code-hint code-error", page.QuerySelector("#code")!.GetAttribute("aria-describedby"));
        Assert.Equal("one-time-code", page.QuerySelector("#code")!.GetAttribute("autocomplete"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_enrolment_page_shows_the_key_as_text_and_as_a_QR_code_in_its_language(string language)
    {
        var texts = Texts(language);

        var (_, page) = await RenderAsync((http, antiforgery) =>
            AccountPages.Enrolment(http, antiforgery, AuthorizeUrl, Key, KeyUri, error: null, StatusCodes.Status200OK), language);

        Assert.Equal(texts["EnrolmentTitle"], page.QuerySelector("h1")!.TextContent);
        Assert.Equal(texts["EnrolmentPrompt"], page.QuerySelector("main > p")!.TextContent);
        Assert.Equal([texts["SecretKey"], texts["KeyLink"]], page.QuerySelectorAll("dt").Select(dt => dt.TextContent));
        Assert.Equal(Key, page.QuerySelector("#authenticator-key")!.TextContent);
        Assert.Equal(KeyUri, page.QuerySelector("#authenticator-uri")!.TextContent);
        Assert.Equal(texts["QrCodeAlt"], page.QuerySelector("img#authenticator-qr")!.GetAttribute("alt"));
        Assert.Equal(texts["Code"], LabelOf(page, "code"));
    }

    [Fact]
    public async Task The_enrolment_QR_code_reads_back_as_the_very_URI_the_page_shows()
    {
        var (http, page) = await RenderAsync((http, antiforgery) =>
            AccountPages.Enrolment(http, antiforgery, AuthorizeUrl, Key, KeyUri, error: null, StatusCodes.Status200OK), "en");

        var source = page.QuerySelector("img#authenticator-qr")!.GetAttribute("src")!;
        Assert.StartsWith("data:image/svg+xml;base64,", source);
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(source["data:image/svg+xml;base64,".Length..]));

        // Read by ZXing, not by the QRCoder that drew it: what a phone's camera would find.
        Assert.Equal(page.QuerySelector("#authenticator-uri")!.TextContent, QrCodes.Read(svg));
        Assert.Equal(KeyUri, QrCodes.Read(svg));
        Assert.Contains("img-src data:", http.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task A_sign_in_that_took_too_long_offers_to_start_again_in_its_language(string language)
    {
        var texts = Texts(language);

        var (http, page) = await RenderAsync(
            (http, _) => AccountPages.Message(http, "SignIn", AccountError.SessionExpired, AuthorizeUrl, StatusCodes.Status400BadRequest), language);

        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        Assert.Equal(texts["Error_SessionExpired"], page.QuerySelector(".error[role=alert]")!.TextContent);
        var again = page.QuerySelector("main a")!;
        Assert.Equal(texts["StartAgain"], again.TextContent);
        Assert.Equal("/account/sign-in?returnUrl=" + Uri.EscapeDataString(AuthorizeUrl), again.GetAttribute("href"));
    }

    [Theory]
    [InlineData("SignedIn")]
    [InlineData("SignedOut")]
    public async Task The_signed_in_and_signed_out_pages_say_so_in_korean(string heading)
    {
        var (_, page) = await RenderAsync((http, _) => AccountPages.Message(http, heading, error: null, returnUrl: null, StatusCodes.Status200OK), "ko");

        Assert.Equal(Texts("ko")[heading], page.QuerySelector("h1")!.TextContent);
        Assert.Null(page.QuerySelector("main a"));
    }

    [Fact]
    public async Task The_language_links_keep_the_sign_in_going_and_carry_their_language_into_ui_locales()
    {
        var returnUrl = "/connect/authorize?client_id=hotline-web&ui_locales=ko&state=x";

        var (_, page) = await RenderAsync((http, antiforgery) => AccountPages.SignIn(http, antiforgery, returnUrl, userName: null, error: null, StatusCodes.Status200OK), "en");

        Assert.Equal("ko", page.DocumentElement.GetAttribute("lang")); // the request's ui_locales over the browser's English
        var links = page.QuerySelectorAll("nav a").Select(a => (Language: a.GetAttribute("lang"), Href: a.GetAttribute("href"), Name: a.TextContent)).ToList();
        Assert.Equal([("ko", "한국어"), ("zh-Hans", "简体中文"), ("en", "English")], links.Select(l => (l.Language, l.Name)));
        Assert.All(links, link => Assert.Equal(
            $"?lang={link.Language}&returnUrl={Uri.EscapeDataString($"/connect/authorize?client_id=hotline-web&ui_locales={link.Language}&state=x")}", link.Href));
    }

    [Fact]
    public async Task The_pages_are_neither_framed_nor_cached()
    {
        var (http, _) = await RenderAsync((http, antiforgery) => AccountPages.SignIn(http, antiforgery, AuthorizeUrl, userName: null, error: null, StatusCodes.Status200OK), "en");

        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'", http.Response.Headers.ContentSecurityPolicy);
        Assert.Equal("DENY", http.Response.Headers.XFrameOptions);
        Assert.Equal("no-store", http.Response.Headers.CacheControl);
        Assert.StartsWith("text/html", http.Response.ContentType);
    }

    private const string Key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private static readonly string KeyUri = $"otpauth://totp/HotlineSystem:kr-cochair?secret={Key}&issuer=HotlineSystem&digits=6";

    /// <summary>Runs a page result as the endpoint would, for a browser that asks for <paramref name="language"/>; returns the parsed page.</summary>
    private static async Task<(HttpContext Http, IDocument Page)> RenderAsync(Func<HttpContext, IAntiforgery, IResult> result, string language)
    {
        // The services a host gives (environment, configuration, logging), and what the Identity service adds for its pages.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAntiforgery();
        builder.Services.AddRazorComponents();
        builder.Services.AddLocalization();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();

        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = "/account/sign-in";
        http.Request.Headers.AcceptLanguage = language;
        var body = new MemoryStream();
        http.Response.Body = body;

        await result(http, scope.ServiceProvider.GetRequiredService<IAntiforgery>()).ExecuteAsync(http);

        var html = Encoding.UTF8.GetString(body.ToArray());
        return (http, await new HtmlParser().ParseDocumentAsync(html));
    }

    private static string LabelOf(IDocument page, string input)
    {
        Assert.NotNull(page.QuerySelector($"input#{input}"));
        return page.QuerySelector($"label[for={input}]")!.TextContent;
    }

    /// <summary>The texts of AccountTexts in one language, read from the resx file as a translator edits it.</summary>
    private static Dictionary<string, string> Texts(string language) =>
        XDocument.Load(Path.Combine(Resources, language == "en" ? "AccountTexts.resx" : $"AccountTexts.{language}.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
}
