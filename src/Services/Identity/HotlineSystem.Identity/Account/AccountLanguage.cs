using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;

namespace HotlineSystem.Identity.Account;

/// <summary>
/// The language of the sign-in pages (ko, zh-Hans or en). A choice made on the pages themselves
/// (<c>?lang=</c>, then remembered in the culture cookie) comes first; then the <c>ui_locales</c> of
/// the authorization request the sign-in is for (its returnUrl carries it); then the culture cookie;
/// then the browser's Accept-Language; English is the common fallback (domain.md).
/// </summary>
internal static class AccountLanguage
{
    public const string Korean = "ko";
    public const string Chinese = "zh-Hans";
    public const string English = "en";

    /// <summary>The order of the language links on every page.</summary>
    public static readonly IReadOnlyList<string> All = [Korean, Chinese, English];

    private const string UiLocales = "ui_locales";

    public static string For(HttpContext http, string? returnUrl)
    {
        if (Find(http.Request.Query["lang"].ToString()) is { } chosen)
        {
            // The same cookie as the console's, so one choice holds for both where they share a host.
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            return chosen;
        }

        if (AskedBy(returnUrl) is { } asked)
        {
            return asked;
        }

        var cookie = CookieRequestCultureProvider.ParseCookieValue(http.Request.Cookies[CookieRequestCultureProvider.DefaultCookieName] ?? "");
        if (cookie?.UICultures.Select(culture => Find(culture.Value)).FirstOrDefault(language => language is not null) is { } remembered)
        {
            return remembered;
        }

        var accepted = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(language => language.Quality is null or > 0) // q=0: "not this one" (RFC 9110, 12.4.2)
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => Find(language.Value.Value))
            .FirstOrDefault(language => language is not null);
        return accepted ?? English;
    }

    /// <summary>The first offered language of the authorization request's ui_locales (OpenID Connect Core 3.1.2.1: space-separated, by preference).</summary>
    public static string? AskedBy(string? returnUrl) =>
        QueryOf(returnUrl).TryGetValue(UiLocales, out var locales)
            ? locales.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Find).FirstOrDefault(language => language is not null)
            : null;

    /// <summary>
    /// The returnUrl with its ui_locales, if it has one, replaced by the language chosen on the page:
    /// otherwise the request's ui_locales would take the next page back to the language just left.
    /// </summary>
    public static string WithLanguage(string returnUrl, string language)
    {
        var query = QueryOf(returnUrl);
        if (!query.ContainsKey(UiLocales))
        {
            return returnUrl;
        }

        var path = returnUrl[..returnUrl.IndexOf('?', StringComparison.Ordinal)];
        return path + QueryString.Create(query.Select(parameter =>
            new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>(parameter.Key, parameter.Key == UiLocales ? language : parameter.Value)));
    }

    /// <summary>"zh", "zh-CN", "zh-Hans-CN" → zh-Hans; but "kok" (Konkani) is not Korean: a tag matches whole or up to a '-'.</summary>
    public static string? Find(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null
            : Matches(tag, "ko") ? Korean
            : Matches(tag, "zh") ? Chinese
            : Matches(tag, "en") ? English
            : null;

    private static bool Matches(string tag, string language) =>
        tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> QueryOf(string? returnUrl)
    {
        var start = returnUrl?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        return start < 0 ? [] : QueryHelpers.ParseQuery(returnUrl![start..]);
    }
}
