using System.Text.Json;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.UnitTests.Identity;

public sealed class SecurityEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 30, 0, TimeSpan.Zero);

    private static readonly HotlineUser Officer =
        HotlineUser.Register("kim.officer", "Kim", null, "KR", [HotlineRoles.LiaisonOfficer], null, Now.AddDays(-3));

    [Fact]
    public void An_event_records_whose_account_who_acted_when_and_from_where()
    {
        var entry = SecurityEvent.Record(
            SecurityEventKind.RoleGranted, Now, Officer, null, "admin-id", "hotline-web", "203.0.113.7", "Mozilla/5.0", "CoChair");

        Assert.Equal(
            (SecurityEventKind.RoleGranted, Now, (Guid?)Officer.Id, "kim.officer", "KR", "admin-id", "hotline-web", "203.0.113.7", "Mozilla/5.0", "CoChair"),
            (entry.Kind, entry.OccurredAt, entry.UserId, entry.UserName, entry.Party, entry.ActorId, entry.ClientId, entry.IpAddress, entry.UserAgent, entry.Detail));
        Assert.NotEqual(Guid.Empty, entry.Id);
    }

    [Fact]
    public void An_event_is_published_with_what_was_recorded()
    {
        var entry = SecurityEvent.Record(
            SecurityEventKind.UserDisabled, Now, Officer, null, "admin-id", "hotline-web", "203.0.113.7", "Mozilla/5.0", "Left the ministry.");

        var recorded = Assert.IsType<SecurityEventRecorded>(Assert.Single(entry.Events));
        Assert.Equal(
            new SecurityEventRecorded(entry.Id, SecurityEventKind.UserDisabled, Now, Officer.Id.ToString(), "kim.officer", "KR", "admin-id",
                "hotline-web", "203.0.113.7", "Mozilla/5.0", "Left the ministry."),
            recorded);
    }

    [Fact]
    public void A_failed_sign_in_for_an_unknown_name_keeps_the_name_given_and_no_party()
    {
        var entry = SecurityEvent.Record(SecurityEventKind.SignInFailed, Now, null, "no.such.person", null, null, "198.51.100.2", null, "unknown user name");

        Assert.Equal(("no.such.person", null, null), (entry.UserName, entry.UserId, entry.Party));
        Assert.Equal("no.such.person", Assert.IsType<SecurityEventRecorded>(Assert.Single(entry.Events)).UserName);
    }

    [Fact]
    public void The_accounts_own_name_is_recorded_over_the_name_typed()
    {
        var entry = SecurityEvent.Record(SecurityEventKind.SignInFailed, Now, Officer, "KIM.OFFICER ", null, null, null, null, "wrong password");

        Assert.Equal("kim.officer", entry.UserName);
    }

    [Fact]
    public void Long_values_are_cut_to_what_the_audit_trail_holds_in_the_event_and_in_what_is_published()
    {
        var entry = SecurityEvent.Record(
            SecurityEventKind.SignInFailed, Now, null,
            userName: new string('u', 1000), actorId: new string('a', 1000), clientId: new string('c', 1000),
            ipAddress: new string('1', 1000), userAgent: new string('b', 1000), detail: new string('d', 1000));

        var recorded = Assert.IsType<SecurityEventRecorded>(Assert.Single(entry.Events));
        Assert.Equal(
            (256, 100, 100, 64, 300, 500),
            (entry.UserName!.Length, entry.ActorId!.Length, entry.ClientId!.Length, entry.IpAddress!.Length, entry.UserAgent!.Length, entry.Detail!.Length));
        Assert.Equal(
            (entry.UserName, entry.ActorId, entry.ClientId, entry.IpAddress, entry.UserAgent, entry.Detail),
            (recorded.UserName, recorded.ActorId, recorded.ClientId, recorded.IpAddress, recorded.UserAgent, recorded.Detail));
    }

    [Fact]
    public void Values_within_their_limits_are_kept_whole()
    {
        var entry = SecurityEvent.Record(
            SecurityEventKind.SignInFailed, Now, null, new string('u', 256), new string('a', 100), new string('c', 100),
            new string('1', 64), new string('b', 300), new string('d', 500));

        Assert.Equal(
            (256, 100, 100, 64, 300, 500),
            (entry.UserName!.Length, entry.ActorId!.Length, entry.ClientId!.Length, entry.IpAddress!.Length, entry.UserAgent!.Length, entry.Detail!.Length));
    }

    [Fact]
    public void The_published_event_has_no_field_for_a_password_code_token_or_key()
    {
        var fields = typeof(SecurityEventRecorded).GetProperties().Select(p => p.Name.ToLowerInvariant()).ToList();

        Assert.DoesNotContain(fields, name => new[] { "password", "secret", "token", "code", "key", "hash", "stamp" }.Any(name.Contains));
    }

    [Fact]
    public void What_is_published_carries_nothing_of_the_accounts_secrets()
    {
        var user = HotlineUser.Register("lee.cochair", "Lee", null, "KR", [HotlineRoles.CoChair], null, Now);
        user.PasswordHash = "AQAAAAIAAYagAAAAEHashOfThePassword";
        user.SecurityStamp = "STAMPSTAMPSTAMP";
        var entry = SecurityEvent.Record(SecurityEventKind.SignInSucceeded, Now, user, null, user.Id.ToString(), "hotline-web", "127.0.0.1", "test", "password");

        var published = MessageSerialization.Serialize(((IEventSource)entry).DequeueEvents().Single());

        Assert.DoesNotContain("HashOfThePassword", published);
        Assert.DoesNotContain("STAMPSTAMPSTAMP", published);
        Assert.Equal(
            new[] { "eventId", "kind", "occurredAt", "userId", "userName", "party", "actorId", "clientId", "ipAddress", "userAgent", "detail" },
            JsonDocument.Parse(published).RootElement.EnumerateObject().Select(p => p.Name).ToArray());
    }
}
