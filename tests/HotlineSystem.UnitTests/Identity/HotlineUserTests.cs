using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Identity;

public sealed class HotlineUserTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));

    private HotlineUser Officer() =>
        HotlineUser.Register("kim.officer", "Kim Officer", "kim@example.kr", "KR", [HotlineRoles.LiaisonOfficer], null, _time.GetUtcNow());

    private DateTimeOffset Later()
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        return _time.GetUtcNow();
    }

    private static UserAccountChanged LastChange(HotlineUser user) => Assert.IsType<UserAccountChanged>(user.Events[^1]);

    [Fact]
    public void A_registered_user_is_active_at_version_1_and_announces_the_account()
    {
        var user = Officer();

        Assert.True(user.Active);
        Assert.True(user.LockoutEnabled);
        Assert.Equal(1, user.Version);
        Assert.Equal(_time.GetUtcNow(), user.CreatedAt);
        var changed = Assert.IsType<UserAccountChanged>(Assert.Single(user.Events));
        Assert.Equal(
            new UserAccountChanged(user.Id.ToString(), 1, "kim.officer", "Kim Officer", "KR", changed.Roles, null, true, _time.GetUtcNow()),
            changed);
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer }, changed.Roles);
    }

    [Fact]
    public void Registering_lists_each_role_once()
    {
        var user = HotlineUser.Register("lee", "Lee", null, "KR", [HotlineRoles.CoChair, HotlineRoles.CommitteeMember, HotlineRoles.CoChair], null, _time.GetUtcNow());

        Assert.Equal(new[] { HotlineRoles.CoChair, HotlineRoles.CommitteeMember }, user.Roles);
    }

    [Fact]
    public void An_official_is_registered_with_the_tier_given()
    {
        var user = HotlineUser.Register("park", "Park", null, "KR", [HotlineRoles.Official], OfficialTiers.Minister, _time.GetUtcNow());

        Assert.Equal(OfficialTiers.Minister, user.OfficialTier);
        Assert.Equal(OfficialTiers.Minister, LastChange(user).OfficialTier);
    }

    [Fact]
    public void Someone_who_is_not_an_official_keeps_no_tier()
    {
        var user = HotlineUser.Register("choi", "Choi", null, "KR", [HotlineRoles.LiaisonOfficer], OfficialTiers.Minister, _time.GetUtcNow());

        Assert.Null(user.OfficialTier);
    }

    [Fact]
    public void Granting_a_role_adds_it_and_raises_the_next_version()
    {
        var user = Officer();

        user.GrantRole(HotlineRoles.CommitteeMember, null, Later());

        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember }, user.Roles);
        Assert.Equal(2, user.Version);
        Assert.Equal(2, user.Events.Count);
        var changed = LastChange(user);
        Assert.Equal(2, changed.Version);
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember }, changed.Roles);
        Assert.Equal(_time.GetUtcNow(), changed.OccurredAt);
    }

    [Fact]
    public void Granting_official_sets_the_tier()
    {
        var user = Officer();

        user.GrantRole(HotlineRoles.Official, OfficialTiers.ViceMinister, Later());

        Assert.Contains(HotlineRoles.Official, user.Roles);
        Assert.Equal(OfficialTiers.ViceMinister, user.OfficialTier);
        Assert.Equal(OfficialTiers.ViceMinister, LastChange(user).OfficialTier);
    }

    [Fact]
    public void Granting_official_again_at_another_tier_moves_the_tier_without_a_second_official_role()
    {
        var user = Officer();
        user.GrantRole(HotlineRoles.Official, OfficialTiers.DirectorGeneral, Later());

        user.GrantRole(HotlineRoles.Official, OfficialTiers.Minister, Later());

        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer, HotlineRoles.Official }, user.Roles);
        Assert.Equal(OfficialTiers.Minister, user.OfficialTier);
        Assert.Equal(3, user.Version);
    }

    [Fact]
    public void Granting_a_role_already_held_is_a_conflict_and_changes_nothing()
    {
        var user = Officer();

        var refused = Assert.Throws<RuleViolation>(() => user.GrantRole(HotlineRoles.LiaisonOfficer, null, Later()));

        Assert.Equal((RuleViolationKind.Conflict, "role-already-held"), (refused.Kind, refused.Code));
        Assert.Equal(1, user.Version);
        Assert.Single(user.Events);
    }

    [Fact]
    public void Granting_official_at_the_tier_already_held_is_a_conflict()
    {
        var user = Officer();
        user.GrantRole(HotlineRoles.Official, OfficialTiers.ViceMinister, Later());

        var refused = Assert.Throws<RuleViolation>(() => user.GrantRole(HotlineRoles.Official, OfficialTiers.ViceMinister, Later()));

        Assert.Equal("role-already-held", refused.Code);
        Assert.Equal(2, user.Version);
    }

    [Fact]
    public void Revoking_a_role_removes_it_and_raises_the_next_version()
    {
        var user = Officer();
        user.GrantRole(HotlineRoles.CommitteeMember, null, Later());

        user.RevokeRole(HotlineRoles.LiaisonOfficer, Later());

        Assert.Equal(new[] { HotlineRoles.CommitteeMember }, user.Roles);
        Assert.Equal(3, user.Version);
        Assert.Equal(new[] { HotlineRoles.CommitteeMember }, LastChange(user).Roles);
        Assert.Equal(3, LastChange(user).Version);
    }

    [Fact]
    public void Revoking_official_clears_the_tier()
    {
        var user = Officer();
        user.GrantRole(HotlineRoles.Official, OfficialTiers.Minister, Later());

        user.RevokeRole(HotlineRoles.Official, Later());

        Assert.DoesNotContain(HotlineRoles.Official, user.Roles);
        Assert.Null(user.OfficialTier);
        Assert.Null(LastChange(user).OfficialTier);
    }

    [Fact]
    public void Revoking_a_role_not_held_is_a_conflict()
    {
        var user = Officer();

        var refused = Assert.Throws<RuleViolation>(() => user.RevokeRole(HotlineRoles.CoChair, Later()));

        Assert.Equal((RuleViolationKind.Conflict, "role-not-held"), (refused.Kind, refused.Code));
        Assert.Equal(1, user.Version);
    }

    [Fact]
    public void Revoking_the_last_role_is_a_conflict_and_the_role_stays()
    {
        var user = Officer();

        var refused = Assert.Throws<RuleViolation>(() => user.RevokeRole(HotlineRoles.LiaisonOfficer, Later()));

        Assert.Equal((RuleViolationKind.Conflict, "last-role"), (refused.Kind, refused.Code));
        Assert.Equal(new[] { HotlineRoles.LiaisonOfficer }, user.Roles);
        Assert.Equal(1, user.Version);
        Assert.Single(user.Events);
    }

    [Fact]
    public void Disabling_makes_the_account_inactive_and_announces_it()
    {
        var user = Officer();

        user.Disable(Later());

        Assert.False(user.Active);
        Assert.Equal(2, user.Version);
        Assert.False(LastChange(user).Active);
        Assert.Equal(2, LastChange(user).Version);
    }

    [Fact]
    public void Disabling_twice_is_a_conflict()
    {
        var user = Officer();
        user.Disable(Later());

        var refused = Assert.Throws<RuleViolation>(() => user.Disable(Later()));

        Assert.Equal((RuleViolationKind.Conflict, "already-disabled"), (refused.Kind, refused.Code));
        Assert.Equal(2, user.Version);
        Assert.Equal(2, user.Events.Count);
    }

    [Fact]
    public void Enabling_a_disabled_account_makes_it_active_again()
    {
        var user = Officer();
        user.Disable(Later());

        user.Enable(Later());

        Assert.True(user.Active);
        Assert.Equal(3, user.Version);
        Assert.True(LastChange(user).Active);
        Assert.Equal(3, LastChange(user).Version);
    }

    [Fact]
    public void Enabling_an_active_account_is_a_conflict()
    {
        var user = Officer();

        var refused = Assert.Throws<RuleViolation>(() => user.Enable(Later()));

        Assert.Equal((RuleViolationKind.Conflict, "already-enabled"), (refused.Kind, refused.Code));
        Assert.Equal(1, user.Version);
    }

    [Fact]
    public void Each_event_is_handed_to_the_outbox_once()
    {
        var user = Officer();
        user.GrantRole(HotlineRoles.CommitteeMember, null, Later());
        IEventSource source = user;

        Assert.Equal(new[] { 1, 2 }, source.DequeueEvents().Cast<UserAccountChanged>().Select(e => e.Version));
        Assert.Empty(source.DequeueEvents());
    }

    [Theory]
    [InlineData(HotlineRoles.Official, true)]
    [InlineData(HotlineRoles.CoChair, true)]
    [InlineData(HotlineRoles.Administrator, true)]
    [InlineData(HotlineRoles.LiaisonOfficer, false)]
    [InlineData(HotlineRoles.CommitteeMember, false)]
    public void Only_officials_co_chairs_and_administrators_require_a_second_factor(string role, bool required)
    {
        var tier = role == HotlineRoles.Official ? OfficialTiers.DirectorGeneral : null;
        var user = HotlineUser.Register("han", "Han", null, "KR", [role], tier, _time.GetUtcNow());

        Assert.Equal(required, user.RequiresSecondFactor);
    }

    [Fact]
    public void Granting_a_privileged_role_makes_the_second_factor_required_and_revoking_it_lifts_that()
    {
        var user = Officer();

        user.GrantRole(HotlineRoles.CoChair, null, Later());
        Assert.True(user.RequiresSecondFactor);

        user.RevokeRole(HotlineRoles.CoChair, Later());
        Assert.False(user.RequiresSecondFactor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Emperor")]
    public void An_official_cannot_exist_without_a_real_tier(string? tier)
    {
        var registering = Assert.Throws<RuleViolation>(() =>
            HotlineUser.Register("lee.official", "Lee", null, "KR", [HotlineRoles.Official], tier, _time.GetUtcNow()));
        Assert.Equal("official-tier-required", registering.Code);

        var officer = Officer();
        var granting = Assert.Throws<RuleViolation>(() => officer.GrantRole(HotlineRoles.Official, tier, Later()));
        Assert.Equal("official-tier-required", granting.Code);
        Assert.DoesNotContain(HotlineRoles.Official, officer.Roles);
    }
}
