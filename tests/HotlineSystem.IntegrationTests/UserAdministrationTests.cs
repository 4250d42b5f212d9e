using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Users;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// User administration (issue 3) through the real Identity host on Kestrel, its PostgreSQL database and
/// the real broker: an Administrator of KR manages KR's people only, every change leaves a security
/// event with who, when and from where, and every refusal is a problem that writes nothing.
/// </summary>
public sealed class UserAdministrationTests
{
    private const string Users = "/api/users";
    private const string SecurityEvents = "/api/security-events";
    private const string IdentityScope = "openid profile identity";
    private const string StrongPassword = "amber-lantern-harbour-71";
    private const string UserWrittenBy = "SELECT xmin::text AS \"Value\" FROM identity.\"AspNetUsers\" WHERE id = {0}";
    private const string SecurityEventWrittenBy = "SELECT xmin::text AS \"Value\" FROM identity.security_events WHERE id = {0}";

    private static readonly string[] Administrator = [HotlineRoles.Administrator];

    /// <summary>An administrator who also holds a second role, so that refusing their own changes is the rule at work, not "last role".</summary>
    private static readonly string[] AdministratorAndOfficer = [HotlineRoles.Administrator, HotlineRoles.LiaisonOfficer];

    [Fact]
    public async Task Creating_a_user_without_a_party_makes_them_a_member_of_the_administrators_party_who_can_sign_in()
    {
        var (identity, admin) = await AdministratorAsync();
        var userName = Unique("kim");

        var response = await admin.PostAsJsonAsync(Users, NewUser(userName));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync<UserView>();
        Assert.Equal($"/api/users/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            (userName, "Kim Min-ji (MOTIE)", $"{userName}@motie.example.kr", "KR", (string?)null, true, false, 1),
            (created.UserName, created.DisplayName, created.Email, created.Party, created.OfficialTier, created.Active, created.SecondFactorEnrolled, created.Version));
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer }, created.Roles);
        var fetched = await (await admin.GetAsync(response.Headers.Location)).ReadAsync<UserView>();
        Assert.Equivalent(created with { CreatedAt = fetched.CreatedAt }, fetched, strict: true);
        Assert.True((created.CreatedAt - fetched.CreatedAt).Duration() < TimeSpan.FromMicroseconds(1), "PostgreSQL keeps the time to the microsecond.");

        var tokens = await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, new Credentials(userName, StrongPassword), "openid profile");
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task Creating_a_user_saves_the_account_its_security_event_and_both_outbox_rows_together_and_publishes_them()
    {
        var (identity, admin) = await AdministratorAsync();
        var adminId = await IdOfAsync("admin", "KR", Administrator);
        var before = await CountRowsAsync(identity);

        var created = await (await admin.PostAsJsonAsync(Users, NewUser(Unique("oh")))).ReadAsync<UserView>();

        Assert.Equal(before with { Users = before.Users + 1, SecurityEvents = before.SecurityEvents + 1, Outbox = before.Outbox + 2 }, await CountRowsAsync(identity));
        var entry = await identity.InDatabase(db => db.SecurityEvents.SingleAsync(e => e.UserId == created.Id));
        Assert.Equal(
            (SecurityEventKind.UserCreated, created.UserName, "KR", adminId.ToString(), "roles: LiaisonOfficer"),
            (entry.Kind, entry.UserName, entry.Party, entry.ActorId, entry.Detail));
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(entry.IpAddress!)), entry.IpAddress);

        // One transaction: PostgreSQL stamps every row a transaction writes with the same xmin.
        Assert.Equal(await TransactionOfAsync(identity, UserWrittenBy, created.Id), await TransactionOfAsync(identity, SecurityEventWrittenBy, entry.Id));

        var accountChanged = await OutboxRowAsync(identity, typeof(UserAccountChanged), created.Id);
        var recorded = await OutboxRowAsync(identity, typeof(SecurityEventRecorded), entry.Id);
        Assert.Contains("\"version\":1", accountChanged.Body, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"UserCreated\"", recorded.Body, StringComparison.Ordinal);

        await EventuallyAsync(TimeSpan.FromSeconds(10), async () =>
        {
            var sent = await identity.InDatabase(db => db.OutboxMessages
                .Where(m => m.Id == accountChanged.Id || m.Id == recorded.Id)
                .Select(m => m.SentAt).ToListAsync());
            return sent.Count == 2 && sent.All(at => at is not null);
        }, "The outbox rows of the new account were not published within 10 seconds.");
    }

    [Fact]
    public async Task Creating_a_user_of_another_party_is_forbidden_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var userName = Unique("wang");

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, NewUser(userName, party: "CN")));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "other-party");
        Assert.False(await identity.InDatabase(db => db.Users.AnyAsync(u => u.UserName == userName)));
    }

    [Fact]
    public async Task Creating_a_user_of_a_party_that_does_not_exist_is_400_unknown_party_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, NewUser(Unique("nobody"), party: "XX")));

        await response.AssertFieldErrorAsync("party", "unknown-party");
    }

    [Fact]
    public async Task Creating_a_user_with_an_unknown_role_is_400_at_that_role_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, NewUser(Unique("pilot"), roles: ["Pilot"])));

        await response.AssertFieldErrorAsync("roles[0]", "unknown-role");
    }

    [Fact]
    public async Task Creating_an_official_without_a_tier_is_400_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, NewUser(Unique("jang"), roles: [HotlineRoles.Official])));

        await response.AssertFieldErrorAsync("officialTier", "official-tier-required");
    }

    [Theory]
    [InlineData("harbour-71")] // too short
    [InlineData("amber-lantern-harbour")] // no digit
    [InlineData("111111111111111a")] // too little variety
    [InlineData("AMBER-LANTERN-71")] // no lower-case letter
    public async Task Creating_a_user_with_a_weak_password_is_400_weak_password_and_writes_nothing(string password)
    {
        var (identity, admin) = await AdministratorAsync();
        var request = NewUser(Unique("yoon"));
        request["password"] = password;

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, request));

        await response.AssertFieldErrorAsync("password", "weak-password");
    }

    [Fact]
    public async Task Creating_a_user_whose_name_is_taken_is_409_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var userName = Unique("seo");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(Users, NewUser(userName))).StatusCode);

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, NewUser(userName)));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "user-name-taken");
    }

    [Fact]
    public async Task Creating_the_same_user_name_at_the_same_moment_creates_it_once_and_refuses_the_rest_with_409()
    {
        var (identity, admin) = await AdministratorAsync();
        var userName = Unique("twin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => admin.PostAsJsonAsync(Users, NewUser(userName))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "user-name-taken");
        }

        Assert.Equal(1, await identity.InDatabase(db => db.SecurityEvents.CountAsync(e => e.UserName == userName && e.Kind == SecurityEventKind.UserCreated)));
    }

    [Theory]
    [InlineData("isAdmin", true)]
    [InlineData("emailConfirmed", true)]
    [InlineData("active", false)]
    public async Task Creating_a_user_with_a_field_the_request_does_not_have_is_400_naming_it_and_writes_nothing(string field, bool value)
    {
        var (identity, admin) = await AdministratorAsync();
        var request = NewUser(Unique("moon"));
        request[field] = value;

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync(Users, request));

        await response.AssertFieldErrorAsync(field, "unknown-field");
    }

    [Fact]
    public async Task The_user_list_holds_only_the_administrators_party()
    {
        var (identity, admin) = await AdministratorAsync();
        var (chinese, _) = await identity.PersonAsync(Unique("wang"), "CN", HotlineRoles.LiaisonOfficer);
        var korean = await CreateAsync(admin, Unique("lim"));

        var page = await (await admin.GetAsync($"{Users}?pageSize=200")).ReadAsync<UserPage>();

        Assert.All(page.Items, user => Assert.Equal("KR", user.Party));
        Assert.Contains(page.Items, user => user.Id == korean.Id);
        Assert.DoesNotContain(page.Items, user => user.Id == chinese.Id);
        Assert.Equal(await identity.InDatabase(db => db.Users.CountAsync(u => u.Party == "KR")), page.Total);
    }

    [Fact]
    public async Task A_user_of_another_party_does_not_exist_for_the_administrator()
    {
        var (identity, admin) = await AdministratorAsync();
        var (chinese, _) = await identity.PersonAsync(Unique("li"), "CN", HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember);
        var user = $"{Users}/{chinese.Id}";

        await (await admin.GetAsync(user)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        foreach (var change in new Func<Task<HttpResponseMessage>>[]
        {
            () => admin.PostAsJsonAsync($"{user}/roles", new { role = HotlineRoles.CoChair }),
            () => admin.DeleteAsync($"{user}/roles/{HotlineRoles.CommitteeMember}"),
            () => admin.PostAsJsonAsync($"{user}/disable", new { reason = "Not ours to disable." }),
            () => admin.PostAsync($"{user}/enable", null),
        })
        {
            await (await WritesNothingAsync(identity, change)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }

        var unchanged = await identity.InDatabase(db => db.Users.SingleAsync(u => u.Id == chinese.Id));
        Assert.Equal((true, 1), (unchanged.Active, unchanged.Version));
    }

    [Fact]
    public async Task Granting_official_at_a_tier_raises_the_version_and_records_role_granted()
    {
        var (identity, admin) = await AdministratorAsync();
        var adminId = await IdOfAsync("admin", "KR", Administrator);
        var user = await CreateAsync(admin, Unique("ahn"));

        var response = await admin.PostAsJsonAsync($"{Users}/{user.Id}/roles", new { role = HotlineRoles.Official, officialTier = OfficialTiers.ViceMinister });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var granted = await response.ReadAsync<UserView>();
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer, HotlineRoles.Official }, granted.Roles);
        Assert.Equal((OfficialTiers.ViceMinister, user.Version + 1), (granted.OfficialTier, granted.Version));
        var entry = await identity.InDatabase(db => db.SecurityEvents.SingleAsync(e => e.UserId == user.Id && e.Kind == SecurityEventKind.RoleGranted));
        Assert.Equal(("Official (ViceMinister)", adminId.ToString()), (entry.Detail, entry.ActorId));
        Assert.True(await identity.InDatabase(db => db.OutboxMessages.AnyAsync(m =>
            m.MessageType == typeof(UserAccountChanged).FullName && m.Body.Contains(user.Id.ToString()) && m.Body.Contains("\"version\":2"))));
    }

    [Fact]
    public async Task Granting_a_role_already_held_is_409_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("bae"));
        var grant = new { role = HotlineRoles.Official, officialTier = OfficialTiers.ViceMinister };
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"{Users}/{user.Id}/roles", grant)).StatusCode);

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync($"{Users}/{user.Id}/roles", grant));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "role-already-held");
    }

    [Fact]
    public async Task Granting_an_unknown_role_is_400_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("gu"));

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync($"{Users}/{user.Id}/roles", new { role = "Pilot" }));

        await response.AssertFieldErrorAsync("role", "unknown-role");
    }

    [Fact]
    public async Task Revoking_official_clears_the_tier_and_records_role_revoked_but_the_last_role_stays()
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("shin"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"{Users}/{user.Id}/roles", new { role = HotlineRoles.Official, officialTier = OfficialTiers.Minister })).StatusCode);

        var response = await admin.DeleteAsync($"{Users}/{user.Id}/roles/{HotlineRoles.Official}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var revoked = await response.ReadAsync<UserView>();
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer }, revoked.Roles);
        Assert.Equal(((string?)null, 3), (revoked.OfficialTier, revoked.Version));
        var entry = await identity.InDatabase(db => db.SecurityEvents.SingleAsync(e => e.UserId == user.Id && e.Kind == SecurityEventKind.RoleRevoked));
        Assert.Equal(HotlineRoles.Official, entry.Detail);

        var last = await WritesNothingAsync(identity, () => admin.DeleteAsync($"{Users}/{user.Id}/roles/{HotlineRoles.LiaisonOfficer}"));

        await last.AssertProblemAsync(HttpStatusCode.Conflict, "last-role");
    }

    [Theory]
    [InlineData(HotlineRoles.CoChair)]
    [InlineData("Pilot")]
    public async Task Revoking_a_role_the_user_does_not_hold_is_409_and_writes_nothing(string role)
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("kwon"));

        var response = await WritesNothingAsync(identity, () => admin.DeleteAsync($"{Users}/{user.Id}/roles/{role}"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "role-not-held");
    }

    [Fact]
    public async Task An_administrator_cannot_revoke_their_own_administrator_role()
    {
        var name = Unique("self");
        var (identity, admin) = await AdministratorAsync(name, AdministratorAndOfficer);
        var self = await IdOfAsync(name, "KR", AdministratorAndOfficer);

        var response = await WritesNothingAsync(identity, () => admin.DeleteAsync($"{Users}/{self}/roles/{HotlineRoles.Administrator}"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "own-administrator-role");
        Assert.Contains(HotlineRoles.Administrator, (await (await admin.GetAsync($"{Users}/{self}")).ReadAsync<UserView>()).Roles);
    }

    [Fact]
    public async Task An_administrator_can_revoke_another_administrators_administrator_role()
    {
        var (_, admin) = await AdministratorAsync();
        var other = await CreateAsync(admin, Unique("deputy"), roles: AdministratorAndOfficer);

        var response = await admin.DeleteAsync($"{Users}/{other.Id}/roles/{HotlineRoles.Administrator}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer }, (await response.ReadAsync<UserView>()).Roles);
    }

    [Fact]
    public async Task A_disabled_person_cannot_sign_in_and_their_refresh_token_is_refused_until_enabled()
    {
        var (identity, admin) = await AdministratorAsync();
        var userName = Unique("nam");
        var credentials = new Credentials(userName, StrongPassword);
        var user = await CreateAsync(admin, userName);
        var earlier = await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, credentials, "openid profile offline_access incidents");
        Assert.NotNull(earlier.RefreshToken);

        var response = await admin.PostAsJsonAsync($"{Users}/{user.Id}/disable", new { reason = "Moved to the Ministry of Foreign Affairs." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disabled = await response.ReadAsync<UserView>();
        Assert.Equal((false, user.Version + 1), (disabled.Active, disabled.Version));
        var entries = await EventsOfAsync(identity, user.Id);
        Assert.Contains(entries, e => e.Kind == SecurityEventKind.UserDisabled && e.Detail == "Moved to the Ministry of Foreign Affairs.");
        Assert.Contains(entries, e => e.Kind == SecurityEventKind.TokensRevoked && e.Detail!.EndsWith("tokens revoked: account disabled", StringComparison.Ordinal)
            && !e.Detail.StartsWith("0 ", StringComparison.Ordinal));

        var signIn = await Assert.ThrowsAsync<SignInFailedException>(() => SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, credentials, "openid profile"));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.Status);
        Assert.Contains(await EventsOfAsync(identity, user.Id), e => e.Kind == SecurityEventKind.SignInFailed && e.Detail == "account disabled");
        var refresh = await Assert.ThrowsAsync<TokenRequestFailedException>(() => SignInDriver.RefreshAsync(identity.BaseAddress, earlier.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.Status);
        Assert.Contains("invalid_grant", refresh.Body, StringComparison.Ordinal);

        await (await WritesNothingAsync(identity, () => admin.PostAsJsonAsync($"{Users}/{user.Id}/disable", new { reason = "Again." })))
            .AssertProblemAsync(HttpStatusCode.Conflict, "already-disabled");

        var enabled = await admin.PostAsync($"{Users}/{user.Id}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var active = await enabled.ReadAsync<UserView>();
        Assert.Equal((true, user.Version + 2), (active.Active, active.Version));
        Assert.Contains(await EventsOfAsync(identity, user.Id), e => e.Kind == SecurityEventKind.UserEnabled);
        Assert.False(string.IsNullOrEmpty((await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, credentials, "openid profile")).AccessToken));
        // Enabling lets the person sign in anew; the tokens revoked at disabling stay revoked.
        await Assert.ThrowsAsync<TokenRequestFailedException>(() => SignInDriver.RefreshAsync(identity.BaseAddress, earlier.RefreshToken!));
    }

    [Fact]
    public async Task A_disabled_administrators_access_token_no_longer_administers_users_not_even_their_own_account()
    {
        var (identity, admin) = await AdministratorAsync();
        var name = Unique("rogue");
        var (_, rogue) = await AdministratorAsync(name, AdministratorAndOfficer);
        var rogueId = await IdOfAsync(name, "KR", AdministratorAndOfficer);
        Assert.Equal(HttpStatusCode.OK, (await rogue.GetAsync(Users)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"{Users}/{rogueId}/disable", new { reason = "Account compromised." })).StatusCode);

        await (await WritesNothingAsync(identity, () => rogue.PostAsync($"{Users}/{rogueId}/enable", null)))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await WritesNothingAsync(identity, () => rogue.PostAsJsonAsync(Users, NewUser(Unique("backdoor"), roles: Administrator))))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.False(await identity.InDatabase(db => db.Users.Where(u => u.Id == rogueId).Select(u => u.Active).SingleAsync()));
    }

    [Fact]
    public async Task An_access_token_of_someone_whose_administrator_role_was_revoked_no_longer_administers_users()
    {
        var (identity, admin) = await AdministratorAsync();
        var name = Unique("former");
        var (_, former) = await AdministratorAsync(name, AdministratorAndOfficer);
        var formerId = await IdOfAsync(name, "KR", AdministratorAndOfficer);
        Assert.Equal(HttpStatusCode.OK, (await former.GetAsync(Users)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{Users}/{formerId}/roles/{HotlineRoles.Administrator}")).StatusCode);

        await (await former.GetAsync(Users)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await WritesNothingAsync(identity, () => former.PostAsJsonAsync($"{Users}/{formerId}/roles", new { role = HotlineRoles.Administrator })))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Enabling_an_account_that_is_active_is_409_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("ryu"));

        var response = await WritesNothingAsync(identity, () => admin.PostAsync($"{Users}/{user.Id}/enable", null));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "already-enabled");
    }

    [Fact]
    public async Task An_administrator_cannot_disable_their_own_account()
    {
        var name = Unique("selfoff");
        var (identity, admin) = await AdministratorAsync(name, AdministratorAndOfficer);
        var self = await IdOfAsync(name, "KR", AdministratorAndOfficer);

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync($"{Users}/{self}/disable", new { reason = "Testing myself." }));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "own-account");
        Assert.True(await identity.InDatabase(db => db.Users.Where(u => u.Id == self).Select(u => u.Active).SingleAsync()));
    }

    [Fact]
    public async Task Disabling_without_a_reason_is_400_and_writes_nothing()
    {
        var (identity, admin) = await AdministratorAsync();
        var user = await CreateAsync(admin, Unique("heo"));

        var response = await WritesNothingAsync(identity, () => admin.PostAsJsonAsync($"{Users}/{user.Id}/disable", new { reason = "" }));

        await response.AssertFieldErrorAsync("reason", "required");
    }

    [Fact]
    public async Task Security_events_list_only_the_administrators_party_newest_first_with_who_when_and_where()
    {
        var (identity, admin) = await AdministratorAsync();
        var adminId = await IdOfAsync("admin", "KR", Administrator);
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        var userName = Unique("baek");
        var korean = await CreateAsync(admin, userName);
        await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, new Credentials(userName, StrongPassword), "openid profile");
        var (chinese, chineseCredentials) = await identity.PersonAsync(Unique("zhou"), "CN", HotlineRoles.LiaisonOfficer);
        await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, chineseCredentials, "openid profile");
        Assert.True(await identity.InDatabase(db => db.SecurityEvents.AnyAsync(e => e.UserId == chinese.Id && e.Party == "CN")));

        var items = (await (await admin.GetAsync(SecurityEvents)).ReadAsync<SecurityEventPage>()).Items.ToList();

        Assert.DoesNotContain(items, e => e.UserId == chinese.Id);
        Assert.Equal(items.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), items.Select(e => e.Id));
        var created = Assert.Single(items, e => e.UserId == korean.Id && e.Kind == SecurityEventKind.UserCreated);
        Assert.Equal((userName, adminId.ToString(), SignInDriver.ConsoleClientId), (created.UserName, created.ActorId, created.ClientId));
        Assert.InRange(created.OccurredAt, start, DateTimeOffset.UtcNow);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(created.IpAddress!)), created.IpAddress);
        var signedIn = Assert.Single(items, e => e.UserId == korean.Id && e.Kind == SecurityEventKind.SignInSucceeded);
        Assert.Equal((userName, korean.Id.ToString()), (signedIn.UserName, signedIn.ActorId));
        Assert.False(string.IsNullOrEmpty(signedIn.IpAddress));
        Assert.True(items.IndexOf(signedIn) < items.IndexOf(created), "The sign-in came after the creation: it is listed first.");

        var ofTheChinese = await (await admin.GetAsync($"{SecurityEvents}?userId={chinese.Id}")).ReadAsync<SecurityEventPage>();
        Assert.Equal(0, ofTheChinese.Total);
        Assert.Empty(ofTheChinese.Items);
    }

    [Fact]
    public async Task A_liaison_officer_may_not_administer_users()
    {
        var identity = await SharedIdentity.GetAsync();
        using var officer = await ClientAsync(identity, Unique("officer"), [HotlineRoles.LiaisonOfficer], IdentityScope);

        await (await officer.GetAsync(Users)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await WritesNothingAsync(identity, () => officer.PostAsJsonAsync(Users, NewUser(Unique("sneaky"), roles: Administrator))))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await officer.GetAsync(SecurityEvents)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_administrators_token_for_another_api_is_refused()
    {
        var identity = await SharedIdentity.GetAsync();
        using var admin = await ClientAsync(identity, Unique("elsewhere"), Administrator, "openid profile incidents");

        await (await admin.GetAsync(Users)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401()
    {
        var identity = await SharedIdentity.GetAsync();
        using var anonymous = new HttpClient { BaseAddress = identity.BaseAddress };

        await (await anonymous.GetAsync(Users)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private sealed record Rows(int Users, int SecurityEvents, int Outbox);

    /// <summary>A name no other test (or earlier run of this one) uses: the shared server lives for the whole run.</summary>
    private static string Unique(string stem) => $"{stem}.{Guid.NewGuid():N}"[..(stem.Length + 9)];

    private static Dictionary<string, object?> NewUser(string userName, string? party = null, string[]? roles = null)
    {
        var request = new Dictionary<string, object?>
        {
            ["userName"] = userName,
            ["displayName"] = "Kim Min-ji (MOTIE)",
            ["email"] = $"{userName}@motie.example.kr",
            ["roles"] = roles ?? [HotlineRoles.LiaisonOfficer],
            ["password"] = StrongPassword,
        };
        if (party is not null)
        {
            request["party"] = party;
        }

        return request;
    }

    private static async Task<UserView> CreateAsync(HttpClient admin, string userName, string[]? roles = null)
    {
        var response = await admin.PostAsJsonAsync(Users, NewUser(userName, roles: roles));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<UserView>();
    }

    /// <summary>KR's administrator (the account the brief of issue 3 names), calling the user-administration API.</summary>
    private static async Task<(IdentityApp Identity, HttpClient Admin)> AdministratorAsync(string name = "admin", string[]? roles = null)
    {
        var identity = await SharedIdentity.GetAsync();
        return (identity, await ClientAsync(identity, name, roles ?? Administrator, IdentityScope));
    }

    private static async Task<HttpClient> ClientAsync(IdentityApp identity, string name, string[] roles, string scope)
    {
        var token = await identity.AccessTokenAsync(name, "KR", roles, scope);
        var client = new HttpClient { BaseAddress = identity.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> IdOfAsync(string name, string party, string[] roles) =>
        (await (await SharedIdentity.GetAsync()).PersonAsync(name, party, roles)).User.Id;

    private static Task<Rows> CountRowsAsync(IdentityApp identity) => identity.InDatabase(async db =>
        new Rows(await db.Users.CountAsync(), await db.SecurityEvents.CountAsync(), await db.OutboxMessages.CountAsync()));

    /// <summary>Runs a request that must be refused, and checks that no account, security event or outbox row came of it.</summary>
    private static async Task<HttpResponseMessage> WritesNothingAsync(IdentityApp identity, Func<Task<HttpResponseMessage>> request)
    {
        var before = await CountRowsAsync(identity);
        var response = await request();
        Assert.Equal(before, await CountRowsAsync(identity));
        return response;
    }

    private static Task<List<HotlineSystem.Identity.Audit.SecurityEvent>> EventsOfAsync(IdentityApp identity, Guid userId) =>
        identity.InDatabase(db => db.SecurityEvents.Where(e => e.UserId == userId).ToListAsync());

    private static Task<HotlineSystem.BuildingBlocks.Messaging.OutboxMessage> OutboxRowAsync(IdentityApp identity, Type contract, Guid id) =>
        identity.InDatabase(db => db.OutboxMessages.SingleAsync(m => m.MessageType == contract.FullName && m.Body.Contains(id.ToString())));

    /// <summary>The id of the PostgreSQL transaction that last wrote the row (its xmin).</summary>
    private static Task<string> TransactionOfAsync(IdentityApp identity, string query, Guid id) =>
        identity.InDatabase(db => db.Database.SqlQueryRaw<string>(query, id).SingleAsync());

    private static async Task EventuallyAsync(TimeSpan within, Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
