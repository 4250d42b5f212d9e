using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Identity.Registry;

/// <summary>
/// The deployment's first parties and channels, as configuration (Registry:Seed), so that no party or
/// channel is written in code: the embedded mode's appsettings.json seeds KR, CN and KR-CN, the
/// distributed mode's start script its own. Later parties are registered through the API.
/// </summary>
public sealed class RegistrySeedSettings
{
    public const string Section = "Registry:Seed";

    public List<PartySeed> Parties { get; set; } = [];

    public List<ChannelSeed> Channels { get; set; } = [];
}

public sealed class PartySeed
{
    public string Code { get; set; } = "";

    public string EnglishName { get; set; } = "";

    public string NativeName { get; set; } = "";

    public string TimeZone { get; set; } = "";

    public string WorkingLanguage { get; set; } = "";
}

/// <summary>A channel both parties agreed to before the system ran: it starts Open.</summary>
public sealed class ChannelSeed
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";
}

/// <summary>Writes the configured parties and channels that do not exist yet, at every start; each is announced like any change.</summary>
internal sealed class RegistrySeeder(IOptions<RegistrySeedSettings> settings, TimeProvider time) : IDataSeeder<IdentityServiceDbContext>
{
    public async Task SeedAsync(IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var known = await db.Parties.ToDictionaryAsync(p => p.Code, cancellationToken);
        foreach (var party in settings.Value.Parties)
        {
            if (RegistryRules.PartyErrors(party.Code, party.EnglishName, party.NativeName, party.TimeZone, party.WorkingLanguage).FirstOrDefault() is { } error)
            {
                throw new InvalidOperationException($"{RegistrySeedSettings.Section}: party '{party.Code}': {error.Message}");
            }

            if (!known.TryGetValue(party.Code, out var existing))
            {
                known[party.Code] = db.Parties.Add(Party.Register(party.Code, party.EnglishName, party.NativeName, party.TimeZone, party.WorkingLanguage, now)).Entity;
            }
            else if (existing.Version == 0)
            {
                // A party written before the registry (a code and an English name only): completed from the seed, and announced.
                existing.Change(party.EnglishName, party.NativeName, party.TimeZone, party.WorkingLanguage, now);
            }
        }

        var parties = known.Keys.ToList();

        var channels = await db.Channels.Select(c => new { c.FirstParty, c.SecondParty }).ToListAsync(cancellationToken);
        // Seeded parties exist before their channels and administrators are written.
        await db.SaveChangesAsync(cancellationToken);
        foreach (var seed in settings.Value.Channels)
        {
            if (!ChannelCode.TryParse(seed.Code, out var code) || !parties.Contains(code.First) || !parties.Contains(code.Second))
            {
                throw new InvalidOperationException($"{RegistrySeedSettings.Section}: channel '{seed.Code}' does not join two configured parties.");
            }

            if (!channels.Any(c => code.Includes(c.FirstParty) && code.Includes(c.SecondParty)))
            {
                db.Channels.Add(Channel.Agreed(code, seed.Name, now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
