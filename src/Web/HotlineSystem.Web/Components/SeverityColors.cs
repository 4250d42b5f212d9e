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
}
