using FluentValidation;

namespace HotlineSystem.ServiceDefaults;

public static class PlainTextRule
{
    /// <summary>
    /// Refuses control characters (which no person types and which break logs and exports).
    /// Markup is allowed and kept exactly as given: texts are data, always encoded on output.
    /// </summary>
    public static IRuleBuilderOptions<T, string> PlainText<T>(this IRuleBuilder<T, string> rule, bool allowLineBreaks = false) =>
        rule.Must(text => text is null || !text.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
            .WithErrorCode("invalid-characters")
            .WithMessage(allowLineBreaks ? "'{PropertyName}' may not contain control characters other than line breaks and tabs." : "'{PropertyName}' may not contain control characters or line breaks.");
}
