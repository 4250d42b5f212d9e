using FluentValidation;
using FluentValidation.Validators;

namespace HotlineSystem.ServiceDefaults.OpenApi;

/// <summary>What a request's FluentValidation validator says of one member: required, and its limits.</summary>
internal sealed record MemberRules(bool Required, decimal? Minimum, decimal? Maximum, int? MaxLength)
{
    public static readonly MemberRules None = new(Required: false, Minimum: null, Maximum: null, MaxLength: null);

    /// <summary>
    /// Reads the validator of <paramref name="requestType"/>, if the service registered one. Only
    /// unconditional NotNull/NotEmpty make a member required; limits count even under a condition
    /// (they hold whenever the value is given).
    /// </summary>
    public static MemberRules Of(IServiceProvider services, Type requestType, string member)
    {
        if (services.GetService(typeof(IValidator<>).MakeGenericType(requestType)) is not IValidator validator)
        {
            return None;
        }

        var rules = validator.CreateDescriptor().GetRulesForMember(member)
            .Where(rule => !IsCollectionRule(rule)) // RuleForEach speaks of the elements
            .SelectMany(rule => rule.Components)
            .ToList();
        var result = None;
        foreach (var component in rules)
        {
            result = component.Validator switch
            {
                INotNullValidator or INotEmptyValidator when !component.HasCondition && !component.HasAsyncCondition => result with { Required = true },
                IBetweenValidator { From: IConvertible from, To: IConvertible to } => result with { Minimum = ToDecimal(from), Maximum = ToDecimal(to) },
                IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual, ValueToCompare: IConvertible value } and not IBetweenValidator =>
                    result with { Minimum = ToDecimal(value) },
                IComparisonValidator { Comparison: Comparison.LessThanOrEqual, ValueToCompare: IConvertible value } => result with { Maximum = ToDecimal(value) },
                IMaximumLengthValidator length => result with { MaxLength = length.Max },
                ILengthValidator { Max: > 0 } length => result with { MaxLength = length.Max },
                _ => result,
            };
        }

        return result;
    }

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().IsGenericType && rule.GetType().GetGenericTypeDefinition().Name.StartsWith("CollectionPropertyRule", StringComparison.Ordinal);

    private static decimal? ToDecimal(IConvertible value) =>
        value is DateTime ? null : value.ToDecimal(System.Globalization.CultureInfo.InvariantCulture);
}
