using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Incidents.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Data;

/// <summary>Adds the catalogue entries that are missing; never overwrites. Parties and channels come from the registry's events.</summary>
internal sealed class IncidentsSeeder(CatalogueCache catalogue) : IDataSeeder<IncidentsDbContext>
{
    public async Task SeedAsync(IncidentsDbContext db, CancellationToken cancellationToken)
    {
        await AddMissing(db.Minerals, CatalogueSeed.Minerals, m => m.Symbol, cancellationToken);
        await AddMissing(db.HsCodes, CatalogueSeed.HsCodes, h => h.Code, cancellationToken);
        await AddMissing(db.Sectors, CatalogueSeed.Sectors, s => s.Code, cancellationToken);
        await AddMissing(db.IncidentTypes, CatalogueSeed.IncidentTypes, t => t.Code, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica seeded the same entries at the same moment; theirs are as good as ours.
        }

        catalogue.Invalidate();
    }

    private static async Task AddMissing<T>(DbSet<T> set, IReadOnlyList<T> entries, Func<T, string> key, CancellationToken cancellationToken)
        where T : class
    {
        var existing = (await set.AsNoTracking().ToListAsync(cancellationToken)).Select(key).ToHashSet();
        set.AddRange(entries.Where(e => !existing.Contains(key(e))));
    }
}
