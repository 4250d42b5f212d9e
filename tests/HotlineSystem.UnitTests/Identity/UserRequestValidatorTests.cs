using HotlineSystem.Identity.Users;
using HotlineSystem.ServiceDefaults.Identity;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Identity;

public sealed class CreateUserValidatorTests
{
    private readonly CreateUserValidator _validator = new();

    private static CreateUserRequest Officer() => new(
        "kim.officer", "Kim Min-ji (MOTIE)", "kim@motie.example.kr", "KR", [HotlineRoles.LiaisonOfficer], null, "amber-lantern-harbour-71");

    [Fact]
    public Task A_liaison_officer_of_the_admins_party_passes() => PassesAsync(_validator, Officer());

    [Fact]
    public Task Party_and_email_may_be_left_out() =>
        PassesAsync(_validator, Officer() with { Party = null, Email = null });

    [Theory]
    [InlineData(OfficialTiers.DirectorGeneral)]
    [InlineData(OfficialTiers.ViceMinister)]
    [InlineData(OfficialTiers.Minister)]
    public Task An_official_with_a_tier_passes(string tier) =>
        PassesAsync(_validator, Officer() with { Roles = [HotlineRoles.Official, HotlineRoles.CommitteeMember], OfficialTier = tier });

    [Theory]
    [InlineData("", "required")]
    [InlineData("ab", "invalid-length")]
    [InlineData("Kim.Officer", "invalid-user-name")]
    [InlineData(".kim", "invalid-user-name")]
    [InlineData("kim officer", "invalid-user-name")]
    [InlineData("kim@motie", "invalid-user-name")]
    public Task A_user_name_that_is_not_lower_case_letters_digits_and_dots_is_refused(string userName, string code) =>
        FailsOnlyAsync(_validator, Officer() with { UserName = userName }, "userName", code);

    [Fact]
    public Task A_user_name_of_65_characters_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { UserName = new string('k', 65) }, "userName", "invalid-length");

    [Fact]
    public Task A_missing_display_name_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { DisplayName = "" }, "displayName", "required");

    [Fact]
    public Task A_display_name_with_a_line_break_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { DisplayName = "Kim\nAdministrator" }, "displayName", "invalid-characters");

    [Fact]
    public Task A_display_name_above_200_characters_is_too_long() =>
        FailsOnlyAsync(_validator, Officer() with { DisplayName = new string('x', 201) }, "displayName", "too-long");

    [Fact]
    public Task An_email_that_is_not_an_address_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Email = "kim-at-motie" }, "email", "invalid-email");

    [Theory]
    [InlineData("kr")]
    [InlineData("KOR")]
    [InlineData("K")]
    [InlineData("")]
    public Task A_party_that_is_not_an_iso_code_is_an_unknown_party(string party) =>
        FailsOnlyAsync(_validator, Officer() with { Party = party }, "party", "unknown-party");

    [Fact]
    public Task No_roles_at_all_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Roles = null }, "roles", "required");

    [Fact]
    public Task An_empty_role_list_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Roles = [] }, "roles", "required");

    [Fact]
    public Task A_role_listed_twice_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Roles = [HotlineRoles.CoChair, HotlineRoles.CoChair] }, "roles", "invalid-list");

    [Theory]
    [InlineData("Pilot")]
    [InlineData("administrator")]
    [InlineData("")]
    public Task An_unknown_role_is_refused_at_its_index(string role) =>
        FailsOnlyAsync(_validator, Officer() with { Roles = [HotlineRoles.LiaisonOfficer, role] }, "roles[1]", "unknown-role");

    [Fact]
    public Task An_official_without_a_tier_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Roles = [HotlineRoles.Official] }, "officialTier", "official-tier-required");

    [Fact]
    public Task An_official_at_a_tier_that_does_not_exist_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Roles = [HotlineRoles.Official], OfficialTier = "Emperor" }, "officialTier", "unknown-official-tier");

    [Fact]
    public Task A_tier_for_someone_who_is_not_an_official_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { OfficialTier = OfficialTiers.Minister }, "officialTier", "official-tier-without-official");

    [Fact]
    public Task A_missing_password_is_refused() =>
        FailsOnlyAsync(_validator, Officer() with { Password = "" }, "password", "required");

    [Fact]
    public Task A_password_above_256_characters_is_too_long() =>
        FailsOnlyAsync(_validator, Officer() with { Password = new string('p', 256) + "1" }, "password", "too-long");

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var errors = await ErrorsAsync(_validator, new CreateUserRequest("X", "", "no", "kr", ["Pilot"], null, ""));

        Assert.Equal(
            new[] { "userName", "displayName", "email", "party", "roles[0]", "password" },
            errors.Select(e => e.Field));
    }
}

public sealed class GrantRoleValidatorTests
{
    private readonly GrantRoleValidator _validator = new();

    [Theory]
    [InlineData(HotlineRoles.LiaisonOfficer)]
    [InlineData(HotlineRoles.CommitteeMember)]
    [InlineData(HotlineRoles.CoChair)]
    [InlineData(HotlineRoles.Administrator)]
    public Task Every_role_but_official_passes_without_a_tier(string role) =>
        PassesAsync(_validator, new GrantRoleRequest(role, null));

    [Fact]
    public Task Official_with_a_tier_passes() =>
        PassesAsync(_validator, new GrantRoleRequest(HotlineRoles.Official, OfficialTiers.ViceMinister));

    [Fact]
    public Task A_missing_role_is_refused() =>
        FailsOnlyAsync(_validator, new GrantRoleRequest("", null), "role", "required");

    [Theory]
    [InlineData("Pilot")]
    [InlineData("official")]
    [InlineData("Official ")]
    public Task An_unknown_role_is_refused(string role) =>
        FailsOnlyAsync(_validator, new GrantRoleRequest(role, null), "role", "unknown-role");

    [Fact]
    public Task Official_without_a_tier_is_refused() =>
        FailsOnlyAsync(_validator, new GrantRoleRequest(HotlineRoles.Official, null), "officialTier", "official-tier-required");

    [Fact]
    public Task Official_at_a_tier_that_does_not_exist_is_refused() =>
        FailsOnlyAsync(_validator, new GrantRoleRequest(HotlineRoles.Official, "Ambassador"), "officialTier", "unknown-official-tier");

    [Fact]
    public Task A_tier_with_another_role_is_refused() =>
        FailsOnlyAsync(_validator, new GrantRoleRequest(HotlineRoles.CoChair, OfficialTiers.Minister), "officialTier", "official-tier-without-official");
}

public sealed class DisableUserValidatorTests
{
    private readonly DisableUserValidator _validator = new();

    [Fact]
    public Task A_reason_passes() =>
        PassesAsync(_validator, new DisableUserRequest("Moved to the Ministry of Foreign Affairs on 1 December."));

    [Fact]
    public Task A_reason_is_required() =>
        FailsOnlyAsync(_validator, new DisableUserRequest(""), "reason", "required");

    [Fact]
    public Task A_reason_above_500_characters_is_too_long() =>
        FailsOnlyAsync(_validator, new DisableUserRequest(new string('r', 501)), "reason", "too-long");

    [Fact]
    public Task A_reason_with_control_characters_is_refused() =>
        FailsOnlyAsync(_validator, new DisableUserRequest("Left.\r\nInjected: admin granted"), "reason", "invalid-characters");
}
