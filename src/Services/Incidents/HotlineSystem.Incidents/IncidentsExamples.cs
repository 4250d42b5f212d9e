using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Features;

namespace HotlineSystem.Incidents;

/// <summary>Example requests for the OpenAPI document: the seed's crisis, as a liaison officer of KR would file it.</summary>
internal static class IncidentsExamples
{
    public static readonly FileIncidentRequest FileIncident = new(
        RequestId: Guid.Parse("0193a5c2-7f00-7000-8000-000000000001"),
        Channel: "KR-CN",
        Type: "export-licence-delay",
        Severity: Severity.Sev1,
        Title: "Dysprosium and terbium export licences held for 30 days",
        Description: "Licences for Dy and Tb oxide filed on 3 November have had no answer; magnet makers have three weeks of stock.",
        Language: "en",
        Minerals: ["Dy", "Tb"],
        HsCodes: ["2846.90"],
        Sectors: ["permanent-magnets", "electric-vehicles"],
        QuantityTonnes: 12.5m,
        InventoryCoverDays: 21,
        StartedOn: new DateOnly(2026, 11, 3),
        CounterpartAgency: "Ministry of Commerce, export control bureau");

    public static readonly CommentRequest SharedComment = new("The licences were filed complete; reference numbers attached in our letter of 5 November.", Visibility.Shared);

    public static readonly CommentRequest InternalNote = new("Manufacturers affected: two magnet makers in Ulsan (names in the case file).", Visibility.Internal);
}
