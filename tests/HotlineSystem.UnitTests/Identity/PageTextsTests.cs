using HotlineSystem.Identity.Account;
using Microsoft.AspNetCore.Http;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>The sign-in pages speak ?lang=, then the remembered choice, then the browser's languages; English otherwise.</summary>
public sealed class PageTextsTests
{
    private static DefaultHttpContext Request(string? query = null, string? cookie = null, string? acceptLanguage = null)
    {
        var http = new DefaultHttpContext();
        if (query is not null)
        {
            http.Request.QueryString = new QueryString(query);
        }

        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"{PageTexts.CookieName}={cookie}";
        }

        if (acceptLanguage is not null)
        {
            http.Request.Headers.AcceptLanguage = acceptLanguage;
        }

        return http;
    }

    private static string SetCookie(HttpContext http) => http.Response.Headers.SetCookie.ToString();

    [Theory]
    [InlineData("?lang=ko", "ko")]
    [InlineData("?lang=zh", "zh")]
    [InlineData("?lang=zh-Hans", "zh")]
    [InlineData("?lang=en", "en")]
    [InlineData("?lang=KO", "ko")]
    public void The_language_asked_for_in_the_query_is_used(string query, string language) =>
        Assert.Equal(language, PageTexts.For(Request(query)).Language);

    [Fact]
    public void The_language_asked_for_is_remembered_in_a_cookie()
    {
        var http = Request("?lang=zh");

        PageTexts.For(http);

        Assert.StartsWith($"{PageTexts.CookieName}=zh", SetCookie(http));
        Assert.Contains("httponly", SetCookie(http), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_query_wins_over_the_cookie_and_the_browser() =>
        Assert.Same(PageTexts.Korean, PageTexts.For(Request("?lang=ko", cookie: "zh", acceptLanguage: "zh-CN,zh;q=0.9")));

    [Fact]
    public void The_remembered_choice_wins_over_the_browser() =>
        Assert.Same(PageTexts.Chinese, PageTexts.For(Request(cookie: "zh", acceptLanguage: "ko-KR,ko;q=0.9,en;q=0.8")));

    [Fact]
    public void A_language_not_offered_in_the_query_falls_through_and_is_not_remembered()
    {
        var http = Request("?lang=fr", acceptLanguage: "ko-KR");

        Assert.Same(PageTexts.Korean, PageTexts.For(http));
        Assert.Empty(SetCookie(http));
    }

    [Theory]
    [InlineData("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko")]
    [InlineData("zh-Hans-CN", "zh")]
    [InlineData("zh-TW;q=0.5, ko;q=0.9", "ko")]
    [InlineData("fr-FR, en;q=0.3, zh;q=0.8", "zh")]
    [InlineData("de, fr;q=0.9, ko;q=0.1", "ko")]
    [InlineData("en-GB, ko;q=0.9", "en")]
    public void The_browsers_most_preferred_offered_language_is_used(string acceptLanguage, string language) =>
        Assert.Equal(language, PageTexts.For(Request(acceptLanguage: acceptLanguage)).Language);

    [Theory]
    [InlineData("kok")] // Konkani is not Korean
    [InlineData("zha")] // Zhuang is not Chinese
    [InlineData("kok-IN, zha;q=0.9")]
    public void A_language_that_merely_starts_with_the_same_letters_is_not_taken_for_an_offered_one(string acceptLanguage) =>
        Assert.Same(PageTexts.English, PageTexts.For(Request(acceptLanguage: acceptLanguage)));

    [Fact]
    public void A_language_the_browser_refuses_with_quality_zero_is_not_used() =>
        Assert.Same(PageTexts.English, PageTexts.For(Request(acceptLanguage: "fr, ko;q=0")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fr-FR, de;q=0.8")]
    [InlineData("*")]
    [InlineData("not a language header ;;; q=")]
    public void Without_an_offered_language_the_pages_are_in_english(string? acceptLanguage) =>
        Assert.Same(PageTexts.English, PageTexts.For(Request(acceptLanguage: acceptLanguage)));

    [Fact]
    public void A_cookie_with_a_language_not_offered_is_ignored() =>
        Assert.Same(PageTexts.English, PageTexts.For(Request(cookie: "xx")));

    [Fact]
    public void Every_language_has_every_text()
    {
        foreach (var texts in PageTexts.All)
        {
            var values = typeof(PageTexts).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(texts));
            Assert.All(values, value => Assert.False(string.IsNullOrWhiteSpace(value)));
        }
    }
}
