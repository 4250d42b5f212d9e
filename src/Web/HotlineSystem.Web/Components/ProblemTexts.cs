using System.Globalization;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Resources;
using Microsoft.Extensions.Localization;

namespace HotlineSystem.Web.Components;

/// <summary>The server's stable problem codes as messages in the reader's language (texts "Error_{code}").</summary>
public static class ProblemTexts
{
    public static string Message(this IStringLocalizer<ConsoleTexts> texts, string code)
    {
        var text = texts["Error_" + code];
        return text.ResourceNotFound ? string.Format(CultureInfo.CurrentCulture, texts["Error_generic"], code) : text.Value;
    }

    /// <summary>The message for one field of a refusal, or null when the field is not named.</summary>
    public static string? ForField(this IStringLocalizer<ConsoleTexts> texts, ApiProblem? problem, string field) =>
        problem?.Errors.FirstOrDefault(e => string.Equals(e.Field, field, StringComparison.OrdinalIgnoreCase)) is { } error
            ? texts.Message(error.Code)
            : null;

    /// <summary>The message for a field or anything within it ("tiers[0].userIds" covers "tiers[0].userIds[2]"), or null.</summary>
    public static string? ForPath(this IStringLocalizer<ConsoleTexts> texts, ApiProblem? problem, string field) =>
        problem?.Errors.FirstOrDefault(e => string.Equals(e.Field, field, StringComparison.OrdinalIgnoreCase)
                                            || e.Field.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)
                                            || e.Field.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)) is { } error
            ? texts.Message(error.Code)
            : null;
}
