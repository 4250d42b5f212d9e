using System.Diagnostics.CodeAnalysis;

namespace HotlineSystem.BuildingBlocks.Security;

/// <summary>
/// A bilateral channel's code, "KR-CN": the two parties' ISO 3166 alpha-2 codes joined by a hyphen,
/// parsed once. Which channels exist is data (the registry); this type only knows the shape.
/// </summary>
public readonly record struct ChannelCode
{
    private ChannelCode(string first, string second) => (First, Second) = (first, second);

    /// <summary>The party named first in the code (the one that proposed the channel).</summary>
    public string First { get; }

    public string Second { get; }

    public string Value => $"{First}-{Second}";

    public IReadOnlyList<string> Parties => [First, Second];

    public static ChannelCode Of(string first, string second) =>
        IsPartyCode(first) && IsPartyCode(second) && first != second
            ? new ChannelCode(first, second)
            : throw new ArgumentException($"'{first}' and '{second}' are not two different ISO 3166 alpha-2 codes.");

    public static ChannelCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not a channel code: two parties' ISO 3166 alpha-2 codes joined by a hyphen.");

    public static bool TryParse([NotNullWhen(true)] string? text, out ChannelCode code)
    {
        code = default;
        if (text is not { Length: 5 } || text[2] != '-')
        {
            return false;
        }

        var (first, second) = (text[..2], text[3..]);
        if (!IsPartyCode(first) || !IsPartyCode(second) || first == second)
        {
            return false;
        }

        code = new ChannelCode(first, second);
        return true;
    }

    /// <summary>Two upper-case ASCII letters: the shape of an ISO 3166 alpha-2 code.</summary>
    public static bool IsPartyCode([NotNullWhen(true)] string? party) => party is { Length: 2 } && party.All(char.IsAsciiLetterUpper);

    public bool Includes(string? party) => party == First || party == Second;

    /// <summary>The other party of the channel; asking for a party that is not on it is a bug.</summary>
    public string CounterpartOf(string party) =>
        party == First ? Second
        : party == Second ? First
        : throw new ArgumentException($"{party} is not a party of {Value}.", nameof(party));

    public override string ToString() => Value;
}
