using Microsoft.AspNetCore.Http;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>Optimistic concurrency: a change names the version it was made on (If-Match).</summary>
public static class IfMatch
{
    /// <summary>Accepts "3", "\"3\"" and "W/\"3\""; null when absent, -1 when not a version of ours.</summary>
    public static int? Parse(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return null;
        }

        var value = ifMatch.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return int.TryParse(value.Trim('"'), out var version) ? version : -1;
    }

    /// <summary>The ETag of a record's version, as If-Match gives it back.</summary>
    public static string ETagOf(int version) => $"\"{version}\"";

    /// <summary>The version the request's If-Match names (see <see cref="Parse"/>).</summary>
    public static int? IfMatchVersion(this HttpRequest request) => Parse(request.Headers.IfMatch);
}
