using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.Incidents.Catalogue;

public sealed record CatalogueView(
    IReadOnlyList<Mineral> Minerals,
    IReadOnlyList<HsCodeView> HsCodes,
    IReadOnlyList<Sector> Sectors,
    IReadOnlyList<IncidentType> IncidentTypes,
    IReadOnlyList<Party> Parties,
    IReadOnlyList<Channel> Channels);

public sealed record HsCodeView(string Code, string DescriptionEn, string DescriptionKo, string DescriptionZh, DateOnly ValidFrom, DateOnly? ValidTo);

internal static class CatalogueEndpoints
{
    /// <summary>The catalogue a form needs, in one read: the reader sees only the channels (and parties) of their own party.</summary>
    public static async Task<Ok<CatalogueView>> Get(ICatalogue catalogue, HttpContext http)
    {
        var party = ServiceDefaults.Identity.CurrentUser.From(http.User).Party;
        var snapshot = await catalogue.GetAsync(http.RequestAborted);
        var channels = snapshot.Channels.Where(c => c.Includes(party)).ToList();
        var parties = snapshot.Parties.Where(p => p.Code == party || channels.Any(c => c.Includes(p.Code))).ToList();
        return TypedResults.Ok(new CatalogueView(
            snapshot.Minerals,
            snapshot.HsCodes.Select(h => new HsCodeView(h.Display, h.DescriptionEn, h.DescriptionKo, h.DescriptionZh, h.ValidFrom, h.ValidTo)).ToList(),
            snapshot.Sectors,
            snapshot.IncidentTypes,
            parties,
            channels));
    }
}
