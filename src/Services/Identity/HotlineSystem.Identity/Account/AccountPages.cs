using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.Identity.Account;

/// <summary>What a sign-in page may say went wrong; each is a text of AccountTexts.resx named <c>Error_{name}</c>.</summary>
public enum AccountError
{
    MissingFields,
    InvalidCredentials,
    LockedOut,
    InvalidCode,
    SessionExpired,
}

/// <summary>What every form of the steps carries back: its anti-forgery token and where the sign-in goes on to.</summary>
public sealed record AccountFormState(string ReturnUrl, AntiforgeryTokenSet Antiforgery);

/// <summary>
/// The sign-in pages as responses: a Razor component rendered on the server (static, no circuit, no
/// script), in the language <see cref="AccountLanguage"/> chose, never framed and never cached.
/// </summary>
internal static class AccountPages
{
    public static AccountPageResult SignIn(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, AccountError? error, int status) =>
        Page<SignInPage>(http, returnUrl, status, new()
        {
            [nameof(SignInPage.Form)] = Form(http, antiforgery, returnUrl),
            [nameof(SignInPage.UserName)] = userName,
            [nameof(SignInPage.Error)] = error,
        });

    public static AccountPageResult SecondFactor(HttpContext http, IAntiforgery antiforgery, string returnUrl, AccountError? error, int status) =>
        Page<SecondFactorPage>(http, returnUrl, status, new()
        {
            [nameof(SecondFactorPage.Form)] = Form(http, antiforgery, returnUrl),
            [nameof(SecondFactorPage.Error)] = error,
        });

    public static AccountPageResult Enrolment(HttpContext http, IAntiforgery antiforgery, string returnUrl, string key, string keyUri, AccountError? error, int status) =>
        Page<EnrolmentPage>(http, returnUrl, status, new()
        {
            [nameof(EnrolmentPage.Form)] = Form(http, antiforgery, returnUrl),
            [nameof(EnrolmentPage.Key)] = key,
            [nameof(EnrolmentPage.KeyUri)] = keyUri,
            [nameof(EnrolmentPage.Error)] = error,
        });

    /// <summary>A page that only says something; with a returnUrl, it offers to start the sign-in again.</summary>
    public static AccountPageResult Message(HttpContext http, string heading, AccountError? error, string? returnUrl, int status) =>
        Page<MessagePage>(http, returnUrl, status, new()
        {
            [nameof(MessagePage.Heading)] = heading,
            [nameof(MessagePage.Error)] = error,
            [nameof(MessagePage.ReturnUrl)] = returnUrl,
        });

    private static AccountPageResult Page<TPage>(HttpContext http, string? returnUrl, int status, Dictionary<string, object?> parameters)
        where TPage : IComponent =>
        new(AccountLanguage.For(http, returnUrl), new RazorComponentResult<TPage>(parameters) { StatusCode = status, PreventStreamingRendering = true });

    private static AccountFormState Form(HttpContext http, IAntiforgery antiforgery, string returnUrl) =>
        new(returnUrl, antiforgery.GetAndStoreTokens(http));
}

/// <summary>A sign-in page in its language: the culture is set where the page is rendered, for the localizer to read.</summary>
internal sealed class AccountPageResult(string language, RazorComponentResult page) : IResult, IStatusCodeHttpResult
{
    public string Language { get; } = language;

    public RazorComponentResult Page { get; } = page;

    public int? StatusCode => Page.StatusCode;

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.CacheControl = "no-store";
        // Set here, not in the handler: a culture set in an async handler is gone when its result runs;
        // and in this async method it ends with the page, not leaking into the rest of the request.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Language);
        await Page.ExecuteAsync(http);
    }
}
