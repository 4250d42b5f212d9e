using HotlineSystem.BuildingBlocks.Security;
using FluentValidation;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.Identity.Users;

/// <summary>An administrator creates an account in their own party (Party may be left out; another party is refused).</summary>
public sealed record CreateUserRequest(
    string UserName,
    string DisplayName,
    string? Email,
    string? Party,
    IReadOnlyList<string>? Roles,
    string? OfficialTier,
    string Password);

public sealed record GrantRoleRequest(string Role, string? OfficialTier);

public sealed record DisableUserRequest(string Reason);

public sealed record UserView(
    Guid Id,
    string UserName,
    string DisplayName,
    string? Email,
    string Party,
    IReadOnlyList<string> Roles,
    string? OfficialTier,
    bool Active,
    bool SecondFactorEnrolled,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt,
    int Version)
{
    public static UserView Of(HotlineUser user) => new(
        user.Id, user.UserName!, user.DisplayName, user.Email, user.Party, user.Roles, user.OfficialTier, user.Active,
        user.TwoFactorEnabled, user.LockoutEnd, user.CreatedAt, user.Version);
}

public sealed record UserPage(IReadOnlyList<UserView> Items, int Page, int PageSize, int Total);

internal static class RoleRules
{
    public static IRuleBuilderOptions<T, string> ValidUserName<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().Length(3, 64)
            .Matches("^[a-z0-9][a-z0-9._-]*$").WithErrorCode("invalid-user-name")
            .WithMessage("A user name is lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.");

    public static IRuleBuilderOptions<T, string> KnownRole<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(role => HotlineRoles.All.Contains(role))
            .WithErrorCode("unknown-role").WithMessage($"'{{PropertyValue}}' is not a role; the roles are {string.Join(", ", HotlineRoles.All)}.");

    public static IRuleBuilderOptions<T, string?> KnownTier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(tier => tier is null || OfficialTiers.All.Contains(tier))
            .WithErrorCode("unknown-official-tier").WithMessage($"'{{PropertyValue}}' is not a tier; the tiers are {string.Join(", ", OfficialTiers.All)}.");
}

public sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        RuleFor(r => r.UserName).ValidUserName();
        RuleFor(r => r.DisplayName).NotEmpty().MaximumLength(200).PlainText();
        RuleFor(r => r.Email!).EmailAddress().WithErrorCode("invalid-email").MaximumLength(256).When(r => r.Email is not null);
        RuleFor(r => r.Party!).Must(ChannelCode.IsPartyCode).WithErrorCode("unknown-party")
            .WithMessage("'{PropertyValue}' is not a party code (ISO 3166 alpha-2).").When(r => r.Party is not null);
        RuleFor(r => r.Roles).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Give at least one role.")
            .Must(roles => roles!.Distinct().Count() == roles!.Count).WithErrorCode("invalid-list").WithMessage("List each role once.");
        RuleForEach(r => r.Roles).KnownRole();
        RuleFor(r => r.OfficialTier).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("official-tier-required").WithMessage("An Official needs a tier (DirectorGeneral, ViceMinister or Minister).")
            .When(r => r.Roles?.Contains(HotlineRoles.Official) == true);
        RuleFor(r => r.OfficialTier).KnownTier()
            .Must((r, tier) => tier is null || r.Roles?.Contains(HotlineRoles.Official) == true)
            .WithErrorCode("official-tier-without-official").WithMessage("Only an Official has a tier.");
        RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
    }
}

public sealed class GrantRoleValidator : AbstractValidator<GrantRoleRequest>
{
    public GrantRoleValidator()
    {
        RuleFor(r => r.Role).Cascade(CascadeMode.Stop).NotEmpty().KnownRole();
        RuleFor(r => r.OfficialTier).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("official-tier-required").WithMessage("An Official needs a tier (DirectorGeneral, ViceMinister or Minister).")
            .When(r => r.Role == HotlineRoles.Official);
        RuleFor(r => r.OfficialTier).KnownTier()
            .Must((r, tier) => tier is null || r.Role == HotlineRoles.Official)
            .WithErrorCode("official-tier-without-official").WithMessage("Only an Official has a tier.");
    }
}

public sealed class DisableUserValidator : AbstractValidator<DisableUserRequest>
{
    public DisableUserValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500).PlainText();
}
