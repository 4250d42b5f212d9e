using HotlineSystem.Identity.Account;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>
/// The sign-in pages speak the language chosen on them (?lang=), then the ui_locales of the
/// authorization request, then the culture cookie, then the browser's languages; English otherwise.
/// </summary>
public sealed class AccountLanguageTests
{
    private const string CultureCookie = ".AspNetCore.Culture";

    private static DefaultHttpContext Request(string? query = null, string? cookie = null, string? acceptLanguage = null)
    {
        var http = new DefaultHttpContext();
        if (query is not null)
        {
            http.Request.QueryString = new QueryString(query);
        }

        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"{CultureCookie}={Uri.EscapeDataString($"c={cookie}|uic={cookie}")}";
        }

        if (acceptLanguage is not null)
        {
            http.Request.Headers.AcceptLanguage = acceptLanguage;
        }

        return http;
    }

    private static string Authorize(string uiLocales) =>
        $"/connect/authorize?client_id=hotline-web&ui_locales={Uri.EscapeDataString(uiLocales)}&state=a%2Fb";

    private static string SetCookie(HttpContext http) => http.Response.Headers.SetCookie.ToString();

    [Theory]
    [InlineData("?lang=ko", "ko")]
    [InlineData("?lang=zh", "zh-Hans")]
    [InlineData("?lang=zh-Hans", "zh-Hans")]
    [InlineData("?lang=en", "en")]
    [InlineData("?lang=KO", "ko")]
    public void The_language_chosen_on_the_page_is_used(string query, string language) =>
        Assert.Equal(language, AccountLanguage.For(Request(query), returnUrl: null));

    [Fact]
    public void The_language_chosen_is_remembered_in_the_culture_cookie_the_console_reads_too()
    {
        var http = Request("?lang=zh");

        AccountLanguage.For(http, returnUrl: null);

        Assert.StartsWith($"{CultureCookie}={Uri.EscapeDataString("c=zh-Hans|uic=zh-Hans")}", SetCookie(http));
        Assert.Contains("httponly", SetCookie(http), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", SetCookie(http), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ko", "ko", "zh-Hans")]
    [InlineData("ko-KR en", "ko", "en")]
    [InlineData("zh-CN", "zh-Hans", "ko")]
    [InlineData("fr-FR zh-Hans-CN en", "zh-Hans", "en")]
    [InlineData("en-GB ko", "en", "ko")]
    public void The_authorization_requests_ui_locales_come_before_the_cookie_and_the_browser(string uiLocales, string language, string other) =>
        Assert.Equal(language, AccountLanguage.For(Request(cookie: other, acceptLanguage: other), Authorize(uiLocales)));

    [Fact]
    public void A_choice_on_the_page_wins_over_the_ui_locales() =>
        Assert.Equal("ko", AccountLanguage.For(Request("?lang=ko"), Authorize("zh-Hans")));

    [Theory]
    [InlineData("fr de")]
    [InlineData("")]
    [InlineData("kok")]
    public void Ui_locales_without_an_offered_language_fall_through_to_the_cookie(string uiLocales) =>
        Assert.Equal("zh-Hans", AccountLanguage.For(Request(cookie: "zh-CN", acceptLanguage: "ko"), Authorize(uiLocales)));

    [Fact]
    public void A_return_url_without_ui_locales_leaves_the_choice_to_the_cookie() =>
        Assert.Equal("zh-Hans", AccountLanguage.For(Request(cookie: "zh-Hans", acceptLanguage: "ko"), "/connect/authorize?client_id=hotline-web"));

    [Fact]
    public void The_remembered_choice_wins_over_the_browser() =>
        Assert.Equal("zh-Hans", AccountLanguage.For(Request(cookie: "zh-Hans", acceptLanguage: "ko-KR,ko;q=0.9,en;q=0.8"), returnUrl: null));

    [Fact]
    public void A_language_not_offered_in_the_query_falls_through_and_is_not_remembered()
    {
        var http = Request("?lang=fr", acceptLanguage: "ko-KR");

        Assert.Equal("ko", AccountLanguage.For(http, returnUrl: null));
        Assert.Empty(SetCookie(http));
    }

    [Theory]
    [InlineData("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko")]
    [InlineData("zh-Hans-CN", "zh-Hans")]
    [InlineData("zh-TW;q=0.5, ko;q=0.9", "ko")]
    [InlineData("fr-FR, en;q=0.3, zh;q=0.8", "zh-Hans")]
    [InlineData("de, fr;q=0.9, ko;q=0.1", "ko")]
    [InlineData("en-GB, ko;q=0.9", "en")]
    public void The_browsers_most_preferred_offered_language_is_used(string acceptLanguage, string language) =>
        Assert.Equal(language, AccountLanguage.For(Request(acceptLanguage: acceptLanguage), returnUrl: null));

    [Theory]
    [InlineData("kok")] // Konkani is not Korean
    [InlineData("zha")] // Zhuang is not Chinese
    [InlineData("kok-IN, zha;q=0.9")]
    public void A_language_that_merely_starts_with_the_same_letters_is_not_taken_for_an_offered_one(string acceptLanguage) =>
        Assert.Equal("en", AccountLanguage.For(Request(acceptLanguage: acceptLanguage), returnUrl: null));

    [Fact]
    public void A_language_the_browser_refuses_with_quality_zero_is_not_used() =>
        Assert.Equal("en", AccountLanguage.For(Request(acceptLanguage: "fr, ko;q=0"), returnUrl: null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fr-FR, de;q=0.8")]
    [InlineData("*")]
    [InlineData("not a language header ;;; q=")]
    public void Without_an_offered_language_the_pages_are_in_english(string? acceptLanguage) =>
        Assert.Equal("en", AccountLanguage.For(Request(acceptLanguage: acceptLanguage), returnUrl: null));

    [Theory]
    [InlineData("xx")]
    [InlineData("not|a|culture")]
    public void A_cookie_with_a_language_not_offered_is_ignored(string cookie) =>
        Assert.Equal("en", AccountLanguage.For(Request(cookie: cookie), returnUrl: null));

    [Fact]
    public void A_language_link_puts_its_language_into_the_requests_ui_locales_and_keeps_everything_else()
    {
        var returnUrl = "/connect/authorize?client_id=hotline-web&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&ui_locales=ko&state=a%2Fb";

        var linked = AccountLanguage.WithLanguage(returnUrl, "zh-Hans");

        Assert.StartsWith("/connect/authorize?", linked);
        var before = QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?')..]);
        var after = QueryHelpers.ParseQuery(linked[linked.IndexOf('?')..]);
        Assert.Equal(before.Keys, after.Keys); // in the same order
        Assert.All(before.Where(p => p.Key != "ui_locales"), p => Assert.Equal(p.Value, after[p.Key]));
        Assert.Equal("zh-Hans", after["ui_locales"]);
    }

    [Theory]
    [InlineData("/connect/authorize?client_id=hotline-web&state=x")]
    [InlineData("/account/signed-in")]
    public void A_language_link_leaves_a_return_url_without_ui_locales_as_it_is(string returnUrl) =>
        Assert.Equal(returnUrl, AccountLanguage.WithLanguage(returnUrl, "ko"));
}
