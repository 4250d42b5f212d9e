using System.Buffers.Text;
using System.Text.Json;
using HotlineSystem.BuildingBlocks.Security;

namespace HotlineSystem.Benchmark;

/// <summary>
/// Reads the tool's own access tokens: the Identity service issues plain signed JWTs (access-token
/// encryption disabled), so the payload says whom a tool client acts for. The signature is not
/// checked here; every service checks it on every request.
/// </summary>
public static class AccessTokenClaims
{
    /// <summary>The claim type of the caller's party, as the services read it (HotlineClaims.Party).</summary>
    public const string PartyClaim = "party";

    /// <summary>The party the token's holder acts for; fails if the token carries none.</summary>
    public static string PartyOf(string accessToken) =>
        ClaimOf(accessToken, PartyClaim) is { } party && ChannelCode.IsPartyCode(party)
            ? party
            : throw new InvalidOperationException($"The access token carries no '{PartyClaim}' claim with a party code.");

    /// <summary>A string claim of the token's payload, or null if it has none.</summary>
    public static string? ClaimOf(string accessToken, string claimType)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3)
        {
            throw new InvalidOperationException(
                $"The access token is not a signed JWT (three parts, not {parts.Length}): is access-token encryption on in the Identity service?");
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty(claimType, out var claim)
                && claim.ValueKind == JsonValueKind.String
                    ? claim.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            throw new InvalidOperationException($"The access token's payload is not base64url-encoded JSON: {exception.Message}", exception);
        }
    }
}
