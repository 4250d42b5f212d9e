using System.Globalization;
using System.Security.Claims;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Server;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace HotlineSystem.Identity.Account;

/// <summary>
/// Signing in to the OpenID Connect server: password, then (for Official, CoChair and Administrator,
/// or anyone who enrolled) a TOTP code, enrolling the authenticator first if need be. Failed
/// passwords and codes count towards lockout; every outcome is a security event.
/// </summary>
internal static class AccountEndpoints
{
    /// <summary>The short-lived cookie that carries "password checked, second factor pending" between the steps.</summary>
    public const string PendingScheme = "Hotline.SecondFactor";

    private const string PendingStage = "stage";
    private const string Verify = "verify";
    private const string Enrol = "enrol";

    public static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        AccountPages.SignIn(http, antiforgery, LocalOrDefault(returnUrl), userName: null, error: null, StatusCodes.Status200OK);

    public static async Task<IResult> SignIn(
        HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, SignInManager<HotlineUser> signIn,
        SecurityEventLog log, IdentityServiceDbContext db)
    {
        if (await ReadFormAsync(http, antiforgery) is not { } form)
        {
            return InvalidForm();
        }

        var returnUrl = LocalOrDefault(form["returnUrl"]);
        var userName = form["userName"].ToString().Trim();
        var password = form["password"].ToString();
        if (userName.Length is 0 or > 256 || password.Length is 0 or > 256)
        {
            return Refused(AccountError.MissingFields);
        }

        IResult Refused(AccountError error) => AccountPages.SignIn(http, antiforgery, returnUrl, userName, error, StatusCodes.Status400BadRequest);

        var user = await users.FindByNameAsync(userName);
        if (user is null || !user.Active)
        {
            log.Add(SecurityEventKind.SignInFailed, user, user is null ? "unknown user name" : "account disabled", userName);
            await db.SaveChangesAsync();
            return Refused(AccountError.InvalidCredentials);
        }

        if (await users.IsLockedOutAsync(user))
        {
            log.Add(SecurityEventKind.SignInFailed, user, "account locked out");
            await db.SaveChangesAsync();
            return Refused(AccountError.LockedOut);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            var lockedOut = await FailAsync(users, log, user, SecurityEventKind.SignInFailed, "wrong password");
            return Refused(lockedOut ? AccountError.LockedOut : AccountError.InvalidCredentials);
        }

        if (user.RequiresSecondFactor || user.TwoFactorEnabled)
        {
            var stage = user.TwoFactorEnabled ? Verify : Enrol;
            var pending = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(PendingStage, stage)], PendingScheme);
            await http.SignInAsync(PendingScheme, new ClaimsPrincipal(pending));
            return Results.Redirect($"/account/{(stage == Verify ? "second-factor" : "enrolment")}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await users.ResetAccessFailedCountAsync(user);
        await CompleteAsync(signIn, log, db, user, "pwd");
        return Results.Redirect(returnUrl);
    }

    public static async Task<IResult> SecondFactorPage(HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, string? returnUrl) =>
        await PendingUserAsync(http, users, Verify) is null
            ? Expired(http, returnUrl)
            : AccountPages.SecondFactor(http, antiforgery, LocalOrDefault(returnUrl), error: null, StatusCodes.Status200OK);

    public static Task<IResult> SecondFactor(
        HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, SignInManager<HotlineUser> signIn,
        SecurityEventLog log, IdentityServiceDbContext db) =>
        CodeStepAsync(http, antiforgery, users, signIn, log, db, Verify, "wrong authenticator code",
            (user, returnUrl, error) => Task.FromResult<IResult>(AccountPages.SecondFactor(http, antiforgery, returnUrl, error, StatusCodes.Status400BadRequest)),
            user => Task.CompletedTask);

    public static async Task<IResult> EnrolmentPage(HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, string? returnUrl)
    {
        if (await PendingUserAsync(http, users, Enrol) is not { } user)
        {
            return Expired(http, returnUrl);
        }

        return await EnrolmentFormAsync(http, antiforgery, users, user, LocalOrDefault(returnUrl), error: null, StatusCodes.Status200OK);
    }

    public static Task<IResult> Enrolment(
        HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, SignInManager<HotlineUser> signIn,
        SecurityEventLog log, IdentityServiceDbContext db) =>
        CodeStepAsync(http, antiforgery, users, signIn, log, db, Enrol, "wrong code while enrolling",
            (user, returnUrl, error) => EnrolmentFormAsync(http, antiforgery, users, user, returnUrl, error, StatusCodes.Status400BadRequest),
            async user =>
            {
                log.Add(SecurityEventKind.SecondFactorEnrolled, user);
                await users.SetTwoFactorEnabledAsync(user, true); // saves the event with it
            });

    /// <summary>
    /// The step after the password: a TOTP code for the pending person. A wrong code counts towards
    /// lockout; a right one (after <paramref name="accepted"/>) completes the sign-in with "mfa".
    /// </summary>
    private static async Task<IResult> CodeStepAsync(
        HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, SignInManager<HotlineUser> signIn,
        SecurityEventLog log, IdentityServiceDbContext db, string stage, string failure,
        Func<HotlineUser, string, AccountError, Task<IResult>> retry, Func<HotlineUser, Task> accepted)
    {
        if (await ReadFormAsync(http, antiforgery) is not { } form)
        {
            return InvalidForm();
        }

        var returnUrl = LocalOrDefault(form["returnUrl"]);
        if (await PendingUserAsync(http, users, stage) is not { } user || await users.IsLockedOutAsync(user))
        {
            return Expired(http, returnUrl);
        }

        if (!await VerifyCodeAsync(users, user, form["code"]))
        {
            var lockedOut = await FailAsync(users, log, user, SecurityEventKind.SecondFactorFailed, failure);
            return lockedOut ? Expired(http, returnUrl, AccountError.LockedOut) : await retry(user, returnUrl, AccountError.InvalidCode);
        }

        await accepted(user);
        await users.ResetAccessFailedCountAsync(user);
        await http.SignOutAsync(PendingScheme);
        await CompleteAsync(signIn, log, db, user, "mfa");
        return Results.Redirect(returnUrl);
    }

    public static IResult SignedOut(HttpContext http) =>
        AccountPages.Message(http, "SignedOut", error: null, returnUrl: null, StatusCodes.Status200OK);

    public static IResult SignedIn(HttpContext http) =>
        AccountPages.Message(http, "SignedIn", error: null, returnUrl: null, StatusCodes.Status200OK);

    private static ProblemHttpResult InvalidForm() =>
        Problems.Create(StatusCodes.Status400BadRequest, "invalid-form", "The form is not valid.",
            "The form post is malformed, or its anti-forgery token is missing or stale: reload the page and try again.");

    /// <summary>Only a path of this server: never an open redirect to somewhere else.</summary>
    internal static string LocalOrDefault(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.Length <= 4096 && returnUrl[0] == '/'
            && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\')) && !returnUrl.Contains('\r') && !returnUrl.Contains('\n')
            ? returnUrl
            : "/account/signed-in";

    private static async Task CompleteAsync(SignInManager<HotlineUser> signIn, SecurityEventLog log, IdentityServiceDbContext db, HotlineUser user, string method)
    {
        var signedIn = log.Add(SecurityEventKind.SignInSucceeded, user, method == "mfa" ? "password and authenticator code" : "password");
        await db.SaveChangesAsync();
        // How and when: a signing co-chair's second factor must be fresh, and a refreshed token keeps both.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
        [
            new Claim(HotlinePrincipal.AuthenticationMethod, method),
            new Claim(HotlinePrincipal.AuthenticationTime, signedIn.OccurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ]);
    }

    /// <summary>Counts a failure towards lockout, recording it (and the lockout it causes) in the same save.</summary>
    private static async Task<bool> FailAsync(UserManager<HotlineUser> users, SecurityEventLog log, HotlineUser user, SecurityEventKind kind, string detail)
    {
        log.Add(kind, user, detail);
        var locksNow = user.AccessFailedCount + 1 >= users.Options.Lockout.MaxFailedAccessAttempts;
        if (locksNow)
        {
            log.Add(SecurityEventKind.LockedOut, user, $"{users.Options.Lockout.MaxFailedAccessAttempts} failed attempts");
        }

        await users.AccessFailedAsync(user);
        return locksNow;
    }

    private static async Task<bool> VerifyCodeAsync(UserManager<HotlineUser> users, HotlineUser user, string? code)
    {
        var digits = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit)
            && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits);
    }

    private static async Task<HotlineUser?> PendingUserAsync(HttpContext http, UserManager<HotlineUser> users, string stage)
    {
        var pending = await http.AuthenticateAsync(PendingScheme);
        if (!pending.Succeeded || pending.Principal.FindFirstValue(PendingStage) != stage)
        {
            return null;
        }

        var user = await users.FindByIdAsync(pending.Principal.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return user is { Active: true } ? user : null;
    }

    /// <summary>The posted form, or null when it is malformed or its anti-forgery token does not check out.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await http.Request.ReadFormAsync();
            return await antiforgery.IsRequestValidAsync(http) ? form : null;
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException))
        {
            // Too many fields, a key too long, multipart cut short; a body too large (BadHttpRequestException) stays a 413.
            return null;
        }
    }

    private static async Task<IResult> EnrolmentFormAsync(
        HttpContext http, IAntiforgery antiforgery, UserManager<HotlineUser> users, HotlineUser user, string returnUrl, AccountError? error, int status)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        var uri = $"otpauth://totp/HotlineSystem:{Uri.EscapeDataString(user.UserName!)}?secret={key}&issuer=HotlineSystem&digits=6";
        return AccountPages.Enrolment(http, antiforgery, returnUrl, key!, uri, error, status);
    }

    private static IResult Expired(HttpContext http, string? returnUrl, AccountError error = AccountError.SessionExpired) =>
        AccountPages.Message(http, "SignIn", error, LocalOrDefault(returnUrl), StatusCodes.Status400BadRequest);
}
