using System.Text.RegularExpressions;
using HotlineSystem.Incidents.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.Incidents.Catalogue;

/// <summary>The whole catalogue as read at one moment: minerals, HS codes, sectors, types, parties, channels.</summary>
public sealed partial class CatalogueSnapshot(
    IReadOnlyList<Mineral> minerals,
    IReadOnlyList<HsCode> hsCodes,
    IReadOnlyList<Sector> sectors,
    IReadOnlyList<IncidentType> incidentTypes,
    IReadOnlyList<Party> parties,
    IReadOnlyList<Channel> channels)
{
    public IReadOnlyList<Mineral> Minerals { get; } = minerals;
    public IReadOnlyList<HsCode> HsCodes { get; } = hsCodes;
    public IReadOnlyList<Sector> Sectors { get; } = sectors;
    public IReadOnlyList<IncidentType> IncidentTypes { get; } = incidentTypes;
    public IReadOnlyList<Party> Parties { get; } = parties;
    public IReadOnlyList<Channel> Channels { get; } = channels;

    public bool IsMineral(string symbol) => Minerals.Any(m => m.Symbol == symbol);

    public bool IsSector(string code) => Sectors.Any(s => s.Code == code);

    public bool IsIncidentType(string code) => IncidentTypes.Any(t => t.Code == code);

    public Channel? FindChannel(string code) => Channels.FirstOrDefault(c => c.Code == code);

    public Party? FindParty(string code) => Parties.FirstOrDefault(p => p.Code == code);

    public IReadOnlyList<string> ChannelsOf(string party) => Channels.Where(c => c.Includes(party)).Select(c => c.Code).ToList();

    /// <summary>Working languages of the parties, plus English, the common fallback.</summary>
    public IReadOnlyList<string> Languages => Parties.Select(p => p.WorkingLanguage).Append("en").Distinct().ToList();

    /// <summary>
    /// "2805.30", "280530" or a 10-digit national code such as "2805.30.1000" → its digits, when
    /// its 6-digit heading is in the catalogue and valid on <paramref name="day"/>; otherwise null.
    /// </summary>
    public string? NormalizeHsCode(string code, DateOnly day)
    {
        var digits = code.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (!HsDigits().IsMatch(digits))
        {
            return null;
        }

        return HsCodes.Any(h => h.Code == digits[..6] && h.IsValidOn(day)) ? digits : null;
    }

    public static bool IsHsCodeShape(string code) =>
        HsDigits().IsMatch(code.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));

    [GeneratedRegex(@"^\d{6}(\d{4})?$")]
    private static partial Regex HsDigits();
}

/// <summary>Where use cases and validators read the catalogue from.</summary>
public interface ICatalogue
{
    Task<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads the catalogue once and keeps it for a minute: validators consult it on every request.
/// An administrator's extension (a new HS code) is seen by every replica within that minute.
/// </summary>
public sealed class CatalogueCache(IServiceScopeFactory scopes, TimeProvider timeProvider) : ICatalogue
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (CatalogueSnapshot Snapshot, DateTimeOffset ReadAt)? _current;

    public async Task<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && timeProvider.GetUtcNow() - current.ReadAt < Lifetime)
        {
            return current.Snapshot;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && timeProvider.GetUtcNow() - fresh.ReadAt < Lifetime)
            {
                return fresh.Snapshot;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
            var snapshot = new CatalogueSnapshot(
                await db.Minerals.AsNoTracking().OrderBy(m => m.AtomicNumber).ToListAsync(cancellationToken),
                await db.HsCodes.AsNoTracking().OrderBy(h => h.Code).ToListAsync(cancellationToken),
                await db.Sectors.AsNoTracking().ToListAsync(cancellationToken),
                await db.IncidentTypes.AsNoTracking().ToListAsync(cancellationToken),
                await db.Parties.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken),
                await db.Channels.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken));
            _current = (snapshot, timeProvider.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forget the snapshot (after seeding or an administrator's change in this process).</summary>
    public void Invalidate() => _current = null;
}
