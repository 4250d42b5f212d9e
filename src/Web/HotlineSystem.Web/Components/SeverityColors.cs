using HotlineSystem.Contracts.Incidents;
using MudBlazor;
using Severity = HotlineSystem.Contracts.Incidents.Severity;

namespace HotlineSystem.Web.Components;

/// <summary>A severity's colour, the same on every page (dark enough for white text: the axe tests check it).</summary>
public static class SeverityColors
{
    public static Color Of(Severity severity) => severity switch
    {
        Severity.Sev1 => Color.Error,
        Severity.Sev2 => Color.Warning,
        Severity.Sev3 => Color.Info,
        _ => Color.Default,
    };

    /// <summary>MudBlazor's classes of a small filled chip in the severity's colour, for markup that is not a MudChip (the board's rows).</summary>
    public static string ChipClass(Severity severity) =>
        $"mud-chip mud-chip-filled mud-chip-size-small mud-chip-color-{Of(severity).ToString().ToLowerInvariant()}";
}
