using System.Globalization;
using FluentValidation;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Identity.Users;
using HotlineSystem.ServiceDefaults;

namespace HotlineSystem.Identity.Registry;

/// <summary>The operator registers a party (a new partner government) together with its first administrator.</summary>
public sealed record RegisterPartyRequest(
    string Code, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage, FirstAdministrator Administrator);

/// <summary>The new party's first administrator, who then creates its people and proposes its channels.</summary>
public sealed record FirstAdministrator(string UserName, string DisplayName, string? Email, string Password);

/// <summary>An administrator proposes a channel between their party and another; that party's administrator must accept.</summary>
public sealed record ProposeChannelRequest(string Counterpart, string Name);

public sealed record PartyView(string Code, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage, int Version)
{
    public static PartyView Of(Party p) => new(p.Code, p.EnglishName, p.NativeName, p.TimeZone, p.WorkingLanguage, p.Version);
}

public sealed record ChannelView(
    string Code, string FirstParty, string SecondParty, string Name, ChannelStatus Status, string? ProposedBy, DateTimeOffset ChangedAt, int Version)
{
    public static ChannelView Of(Channel c) => new(c.Code, c.FirstParty, c.SecondParty, c.Name, c.Status, c.ProposedBy, c.ChangedAt, c.Version);
}

public sealed record RegisteredParty(PartyView Party, UserView Administrator);

/// <summary>What a party's description must be, for the API and for the configured seed alike.</summary>
public static class RegistryRules
{
    public static IEnumerable<FieldError> PartyErrors(string? code, string? englishName, string? nativeName, string? timeZone, string? workingLanguage)
    {
        if (!ChannelCode.IsPartyCode(code))
        {
            yield return new FieldError("code", "invalid-party-code", $"'{code}' is not an ISO 3166 alpha-2 code (two upper-case letters).");
        }

        foreach (var (field, name) in new[] { ("englishName", englishName), ("nativeName", nativeName) })
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            {
                yield return new FieldError(field, "required", "A name of at most 200 characters is required.");
            }
        }

        if (timeZone is null || timeZone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) || !zone.HasIanaId)
        {
            yield return new FieldError("timeZone", "unknown-time-zone", $"'{timeZone}' is not an IANA time zone (Area/City).");
        }

        if (!IsLanguage(workingLanguage))
        {
            yield return new FieldError("workingLanguage", "unknown-language", $"'{workingLanguage}' is not a language tag this system knows (BCP 47, e.g. vi or zh-Hans).");
        }
    }

    private static bool IsLanguage(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 20)
        {
            return false;
        }

        try
        {
            return CultureInfo.GetCultureInfo(tag, predefinedOnly: true).Name.Length > 0;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}

public sealed class RegisterPartyValidator : AbstractValidator<RegisterPartyRequest>
{
    public RegisterPartyValidator()
    {
        RuleFor(r => r).Custom((r, context) =>
        {
            foreach (var error in RegistryRules.PartyErrors(r.Code, r.EnglishName, r.NativeName, r.TimeZone, r.WorkingLanguage))
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure(error.Field, error.Message) { ErrorCode = error.Code });
            }
        });
        RuleFor(r => r.EnglishName).PlainText();
        RuleFor(r => r.NativeName).PlainText();
        RuleFor(r => r.Administrator).NotNull().WithMessage("Name the party's first administrator.");
        RuleFor(r => r.Administrator.UserName).ValidUserName().When(r => r.Administrator is not null);
        RuleFor(r => r.Administrator.DisplayName).NotEmpty().MaximumLength(200).PlainText().When(r => r.Administrator is not null);
        RuleFor(r => r.Administrator.Email!).EmailAddress().WithErrorCode("invalid-email").MaximumLength(256)
            .When(r => r.Administrator?.Email is not null);
        RuleFor(r => r.Administrator.Password).NotEmpty().MaximumLength(256).When(r => r.Administrator is not null);
    }
}

public sealed class ProposeChannelValidator : AbstractValidator<ProposeChannelRequest>
{
    public ProposeChannelValidator()
    {
        RuleFor(r => r.Counterpart).Must(ChannelCode.IsPartyCode).WithErrorCode("unknown-party")
            .WithMessage("'{PropertyValue}' is not a party code (ISO 3166 alpha-2).");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).PlainText();
    }
}
