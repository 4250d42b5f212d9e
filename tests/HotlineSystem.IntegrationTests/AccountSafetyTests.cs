using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OtpNet;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Account safety at the real Identity server, through its pages and token endpoint: lockout, the
/// TOTP second factor, refresh-token rotation, sign-out, disabled accounts and revoked roles, and
/// every outcome in the audit trail.
/// </summary>
public sealed class AccountSafetyTests(IncidentsAppFixture fixture) : IClassFixture<IncidentsAppFixture>
{
    private const string Lockout = "Too many failed attempts";
    private readonly IncidentsApp _incidents = fixture.App;

    private static IdentityApp Identity => IncidentsApp.Identity;

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused_too()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("lock"), "KR", HotlineRoles.LiaisonOfficer);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await PostSignInAsync(browser, credentials.UserName, "wrong-password-" + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.DoesNotContain(Lockout, await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await PostSignInAsync(browser, credentials.UserName, "wrong-password-5");
        Assert.Equal(HttpStatusCode.BadRequest, fifth.StatusCode);
        Assert.Contains(Lockout, await fifth.Content.ReadAsStringAsync());

        var right = await PostSignInAsync(browser, credentials.UserName, credentials.Password);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains(Lockout, await right.Content.ReadAsStringAsync());
        Assert.Null(right.Headers.Location);

        var lockedUntil = await Identity.InDatabase(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync());
        Assert.True(lockedUntil > DateTimeOffset.UtcNow.AddMinutes(10), $"locked until {lockedUntil}");
        var events = await EventsAsync(user.Id);
        Assert.Equal(6, events.Count(e => e == SecurityEventKind.SignInFailed)); // five wrong passwords, one while locked
        Assert.Equal(1, events.Count(e => e == SecurityEventKind.LockedOut));
        Assert.DoesNotContain(SecurityEventKind.SignInSucceeded, events);
        Assert.Equal(events.Count, await OutboxSecurityEventsAsync(user.Id));
    }

    [Fact]
    public async Task A_co_chair_without_an_authenticator_must_enrol_one_and_a_wrong_code_does_not_enrol()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("enrol"), "KR", [HotlineRoles.CoChair], enrolAuthenticator: false);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);

        var password = await PostSignInAsync(browser, credentials.UserName, credentials.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/enrolment", password.Headers.Location!.OriginalString);

        var page = await browser.GetAsync(password.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var key = System.Text.RegularExpressions.Regex.Match(html, "id=\"authenticator-key\">([A-Z2-7]+)<").Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = await PostCodeAsync(browser, html, "/account/enrolment", WrongCode(key));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.False(await TwoFactorEnabledAsync(user.Id));

        var right = await PostCodeAsync(browser, await wrong.Content.ReadAsStringAsync(), "/account/enrolment", Code(key));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/account/signed-in", right.Headers.Location!.OriginalString);
        Assert.True(await TwoFactorEnabledAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/signed-in")).StatusCode);

        var events = await EventsAsync(user.Id);
        Assert.Equal([SecurityEventKind.SecondFactorFailed, SecurityEventKind.SecondFactorEnrolled, SecurityEventKind.SignInSucceeded], events);

        // Signed in: the server's session now gives the console a code without asking again.
        var tokens = await SignInDriver.AuthorizationCodeAsync(browser, credentials with { Password = "not-asked-again" });
        Assert.Equal("mfa", Claim(tokens.AccessToken, "amr"));
    }

    [Fact]
    public async Task An_enrolled_official_with_a_wrong_code_is_not_signed_in()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("code"), "CN", HotlineRoles.Official);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);

        var password = await PostSignInAsync(browser, credentials.UserName, credentials.Password);
        Assert.StartsWith("/account/second-factor", password.Headers.Location!.OriginalString);
        var page = await (await browser.GetAsync(password.Headers.Location)).Content.ReadAsStringAsync();

        var wrong = await PostCodeAsync(browser, page, "/account/second-factor", WrongCode(credentials.AuthenticatorKey!));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The code is not correct.", await wrong.Content.ReadAsStringAsync());
        Assert.Equal([SecurityEventKind.SecondFactorFailed], await EventsAsync(user.Id));
        var authorize = await browser.GetAsync(AuthorizeUrl());
        Assert.StartsWith("/account/sign-in", authorize.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Wrong_authenticator_codes_count_towards_lockout()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("codelock"), "KR", HotlineRoles.Administrator);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostSignInAsync(browser, credentials.UserName, "wrong-password-1")).StatusCode);
        var password = await PostSignInAsync(browser, credentials.UserName, credentials.Password);
        var page = await (await browser.GetAsync(password.Headers.Location)).Content.ReadAsStringAsync();

        HttpResponseMessage wrong = null!;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            wrong = await PostCodeAsync(browser, page, "/account/second-factor", WrongCode(credentials.AuthenticatorKey!));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            page = await wrong.Content.ReadAsStringAsync();
        }

        Assert.Contains(Lockout, page); // one wrong password and four wrong codes
        var right = await PostSignInAsync(browser, credentials.UserName, credentials.Password);
        Assert.Contains(Lockout, await right.Content.ReadAsStringAsync());
        var events = await EventsAsync(user.Id);
        Assert.Equal(4, events.Count(e => e == SecurityEventKind.SecondFactorFailed));
        Assert.Equal(1, events.Count(e => e == SecurityEventKind.LockedOut));
        Assert.DoesNotContain(SecurityEventKind.SignInSucceeded, events);
    }

    [Fact]
    public async Task A_liaison_officer_signs_in_with_the_password_alone()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("pwd"), "KR", HotlineRoles.LiaisonOfficer);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);

        var response = await PostSignInAsync(browser, credentials.UserName, credentials.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signed-in", response.Headers.Location!.OriginalString);
        Assert.Equal([SecurityEventKind.SignInSucceeded], await EventsAsync(user.Id));
        Assert.False(await TwoFactorEnabledAsync(user.Id));
    }

    [Fact]
    public async Task A_token_says_when_the_second_factor_was_given_and_a_refreshed_one_keeps_that_time()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("auth-time"), "KR", HotlineRoles.CommitteeMember, HotlineRoles.CoChair);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds();
        var first = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);
        var signedInAt = long.Parse(Claim(first.AccessToken, "auth_time")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(signedInAt, before, DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeSeconds());
        Assert.Equal("mfa", Claim(first.AccessToken, "amr"));

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a refresh is not a new sign-in: its time must not move
        var refreshed = await SignInDriver.RefreshAsync(Identity.BaseAddress, first.RefreshToken!);

        Assert.Equal(signedInAt.ToString(System.Globalization.CultureInfo.InvariantCulture), Claim(refreshed.AccessToken, "auth_time"));
        Assert.Equal("mfa", Claim(refreshed.AccessToken, "amr"));
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_gives_a_new_one()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("rotate"), "KR", HotlineRoles.LiaisonOfficer);
        var first = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);

        var second = await SignInDriver.RefreshAsync(Identity.BaseAddress, first.RefreshToken!);

        Assert.NotNull(second.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        await AssertRefusedAsync(first.RefreshToken!);
    }

    [Fact]
    public async Task Reusing_a_spent_refresh_token_also_ends_the_one_that_replaced_it()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("replay"), "KR", HotlineRoles.LiaisonOfficer);
        var first = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);
        var second = await SignInDriver.RefreshAsync(Identity.BaseAddress, first.RefreshToken!);

        await AssertRefusedAsync(first.RefreshToken!); // a thief, or the owner: one of them holds a copy

        await AssertRefusedAsync(second.RefreshToken!);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_revokes_the_refresh_token()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("signout"), "KR", HotlineRoles.LiaisonOfficer);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);
        var tokens = await SignInDriver.AuthorizationCodeAsync(browser, credentials);

        var signOut = await browser.GetAsync(
            $"/connect/endsession?id_token_hint={tokens.IdentityToken}&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri)}&state=bye");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith(SignedOutUri, signOut.Headers.Location!.ToString());
        Assert.StartsWith("/account/sign-in", (await browser.GetAsync(AuthorizeUrl())).Headers.Location!.OriginalString);
        await AssertRefusedAsync(tokens.RefreshToken!);
        Assert.Contains(SecurityEventKind.SignedOut, await EventsAsync(user.Id));
    }

    [Fact]
    public async Task An_account_disabled_by_an_administrator_can_no_longer_refresh()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("disable"), "KR", HotlineRoles.LiaisonOfficer);
        var tokens = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);
        using var admin = await AdministratorAsync("KR");

        var disabled = await admin.PostAsJsonAsync($"/api/users/{user.Id}/disable", new { reason = "left the ministry" });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await AssertRefusedAsync(tokens.RefreshToken!);
        Assert.Contains(SecurityEventKind.UserDisabled, await EventsAsync(user.Id));
        Assert.Contains(SecurityEventKind.TokensRevoked, await EventsAsync(user.Id));
    }

    [Fact]
    public async Task An_account_disabled_without_revoking_its_tokens_can_no_longer_refresh_either()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("inactive"), "KR", HotlineRoles.LiaisonOfficer);
        var tokens = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);

        // Straight in the database: the token endpoint itself must look at the account, not rely on revocation.
        await Identity.InDatabase(async db =>
        {
            var stored = await db.Users.SingleAsync(u => u.Id == user.Id);
            stored.Disable(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });

        await AssertRefusedAsync(tokens.RefreshToken!);
    }

    [Fact]
    public async Task A_revoked_role_is_gone_from_the_access_token_after_the_next_refresh()
    {
        var (user, credentials) = await Identity.PersonAsync(Unique("role"), "KR", HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember);
        var tokens = await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials);
        Assert.Contains(HotlineRoles.CommitteeMember, Roles(tokens.AccessToken));
        using var admin = await AdministratorAsync("KR");

        var revoked = await admin.DeleteAsync($"/api/users/{user.Id}/roles/{HotlineRoles.CommitteeMember}");
        var refreshed = await SignInDriver.RefreshAsync(Identity.BaseAddress, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal([HotlineRoles.LiaisonOfficer], Roles(refreshed.AccessToken));
        Assert.Contains(SecurityEventKind.RoleRevoked, await EventsAsync(user.Id));
    }

    [Fact]
    public async Task A_weak_password_is_refused_when_an_administrator_creates_an_account()
    {
        using var admin = await AdministratorAsync("KR");
        var userName = Unique("weak");

        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            userName,
            displayName = "Weak Password",
            roles = new[] { HotlineRoles.LiaisonOfficer },
            password = "short1",
        });

        await response.AssertFieldErrorAsync("password", "weak-password");
        Assert.False(await Identity.InDatabase(db => db.Users.AnyAsync(u => u.UserName == userName)));
        Assert.False(await Identity.InDatabase(db => db.SecurityEvents.AnyAsync(e => e.UserName == userName)));
    }

    [Fact]
    public async Task A_tool_with_client_credentials_acts_as_a_korean_liaison_officer()
    {
        var tokens = await SignInDriver.TokenRequestAsync(Identity.BaseAddress, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityApp.ToolClientId,
            ["client_secret"] = IdentityApp.ToolClientSecret,
            ["scope"] = "incidents",
        });
        using var client = _incidents.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var list = await client.GetAsync("/api/incidents");
        var filed = await client.FileAsync();

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Null(tokens.RefreshToken);
        Assert.Equal("KR", Claim(tokens.AccessToken, HotlineClaims.Party));
        Assert.Equal([HotlineRoles.LiaisonOfficer], Roles(tokens.AccessToken));
        Assert.Equal("KR", filed.ReportingParty);
        Assert.Equal(IdentityApp.ToolClientId, filed.ReportedBy);
    }

    private const string SignedOutUri = "http://127.0.0.1/test-signed-out";

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string userName, string password, string? returnUrl = null)
    {
        var page = await browser.GetAsync("/account/sign-in" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        var fields = SignInDriver.HiddenFields(await page.Content.ReadAsStringAsync());
        fields["userName"] = userName;
        fields["password"] = password;
        return await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));
    }

    private static async Task<HttpResponseMessage> PostCodeAsync(HttpClient browser, string page, string path, string code)
    {
        var fields = SignInDriver.HiddenFields(page);
        fields["code"] = code;
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static async Task AssertRefusedAsync(string refreshToken)
    {
        var refused = await Assert.ThrowsAsync<TokenRequestFailedException>(() => SignInDriver.RefreshAsync(Identity.BaseAddress, refreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("\"invalid_grant\"", refused.Body);
    }

    private static async Task<HttpClient> AdministratorAsync(string party)
    {
        var token = await Identity.AccessTokenAsync("safety-admin", party, [HotlineRoles.Administrator], "openid profile identity");
        var client = new HttpClient { BaseAddress = Identity.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Task<List<SecurityEventKind>> EventsAsync(Guid userId) =>
        Identity.InDatabase(db => db.SecurityEvents.Where(e => e.UserId == userId).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Select(e => e.Kind).ToListAsync());

    private static Task<int> OutboxSecurityEventsAsync(Guid userId) =>
        Identity.InDatabase(db => db.OutboxMessages
            .CountAsync(m => m.MessageType == typeof(SecurityEventRecorded).FullName && m.Body.Contains(userId.ToString())));

    private static Task<bool> TwoFactorEnabledAsync(Guid userId) =>
        Identity.InDatabase(db => db.Users.Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).SingleAsync());

    private static string AuthorizeUrl() =>
        $"/connect/authorize?client_id={SignInDriver.ConsoleClientId}&redirect_uri={Uri.EscapeDataString(SignInDriver.RedirectUri)}&response_type=code" +
        "&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

    private static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    /// <summary>A code that is none of those the server accepts now (the current one, shifted half-way round).</summary>
    private static string WrongCode(string key) => ((int.Parse(Code(key)) + 500_000) % 1_000_000).ToString("D6");

    private static string? Claim(string jwt, string type) =>
        new JsonWebTokenHandler().ReadJsonWebToken(jwt).Claims.FirstOrDefault(c => c.Type == type)?.Value;

    private static List<string> Roles(string jwt) =>
        [.. new JsonWebTokenHandler().ReadJsonWebToken(jwt).Claims.Where(c => c.Type == HotlineClaims.Role).Select(c => c.Value).Order()];

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
}
