using System.Globalization;
using HotlineSystem.Web.Resources;
using Microsoft.Extensions.Localization;

namespace HotlineSystem.Web.Components.Administration;

/// <summary>Roles, official tiers and waits in the reader's language (texts "Role_…", "OfficialTier_…", "Unit…").</summary>
public static class AdministrationTexts
{
    public static string RoleName(this IStringLocalizer<ConsoleTexts> texts, string? role) => Named(texts, "Role_", role);

    public static string TierName(this IStringLocalizer<ConsoleTexts> texts, string? tier) => Named(texts, "OfficialTier_", tier);

    /// <summary>"1 h 30 min", "2 h", "45 min" (a wait of days is counted in hours, as the editor takes it).</summary>
    public static string Wait(this IStringLocalizer<ConsoleTexts> texts, TimeSpan wait)
    {
        var (hours, minutes, seconds) = TierDraft.Split(wait);
        var parts = new List<string>();
        if (hours > 0)
        {
            parts.Add(string.Format(CultureInfo.CurrentCulture, texts["UnitHours"], hours));
        }

        if (minutes > 0 || (hours == 0 && seconds == TimeSpan.Zero))
        {
            parts.Add(string.Format(CultureInfo.CurrentCulture, texts["UnitMinutes"], minutes));
        }

        if (seconds > TimeSpan.Zero)
        {
            parts.Add(string.Format(CultureInfo.CurrentCulture, texts["UnitSeconds"], (int)Math.Round(seconds.TotalSeconds)));
        }

        return string.Join(" ", parts);
    }

    private static string Named(IStringLocalizer<ConsoleTexts> texts, string prefix, string? name) =>
        name is null ? "" : texts[prefix + name] is { ResourceNotFound: false } text ? text.Value : name;
}
