using FluentValidation;

namespace HotlineSystem.ServiceDefaults;

public static class PlainTextRule
{
    /// <summary>
    /// Refuses control characters (which no person types and which break logs and exports).
    /// Markup is allowed and kept exactly as given: texts are data, always encoded on output.
    /// </summary>
    public static IRuleBuilderOptions<T, string> PlainText<T>(this IRuleBuilder<T, string> rule, bool allowLineBreaks = false) =>
        rule.Must(text => text is null || !text.Any(c => IsNeverTyped(c) || (!allowLineBreaks && c is '\n' or '\r' or '\t')))
            .WithErrorCode("invalid-characters")
            .WithMessage(allowLineBreaks
                ? "'{PropertyName}' may not contain control characters (other than line breaks and tabs) or directional overrides."
                : "'{PropertyName}' may not contain control characters, line breaks or directional overrides.");

    /// <summary>A control character other than tab and line breaks, or a directional override or isolate.</summary>
    public static bool IsNeverTyped(char c) => (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || IsDirectionalFormatting(c);

    /// <summary>
    /// The embeddings, overrides and isolates of Unicode's bidirectional algorithm (U+202A–U+202E,
    /// U+2066–U+2069): they make a text display in another order than it reads ("Trojan Source"),
    /// so a name or a note could show one thing to an officer and say another. The marks people
    /// do type in right-to-left text (U+200E, U+200F) stay allowed.
    /// </summary>
    public static bool IsDirectionalFormatting(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
