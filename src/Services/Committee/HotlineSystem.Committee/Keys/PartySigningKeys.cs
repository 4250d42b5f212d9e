using System.Security.Cryptography;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Signing;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Keys;

/// <summary>
/// The parties' signing keys (ADR 0013): the published register in the database, the private halves
/// in <see cref="PartyKeyCustody"/>. A party's first key is made when it is first needed, by a node
/// that keeps the party's keys; a rotation retires the current key and makes the next.
/// </summary>
public sealed class PartySigningKeys(CommitteeDbContext db, PartyKeyCustody custody, TimeProvider time)
{
    /// <summary>Every key <paramref name="party"/> ever published, the newest first.</summary>
    public async Task<IReadOnlyList<PartySigningKey>> PublishedAsync(string party, CancellationToken cancellationToken) =>
        await db.PartySigningKeys.AsNoTracking().Where(k => k.Party == party)
            .OrderByDescending(k => k.ValidFrom).ThenBy(k => k.KeyId).ToListAsync(cancellationToken);

    /// <summary>The published keys of the parties, current and retired, as a verifier takes them.</summary>
    public async Task<IReadOnlyList<PartyKey>> OfAsync(IEnumerable<string> parties, CancellationToken cancellationToken)
    {
        var codes = parties.ToList();
        var keys = await db.PartySigningKeys.AsNoTracking().Where(k => codes.Contains(k.Party)).ToListAsync(cancellationToken);
        return [.. keys.Select(k => k.ToPartyKey())];
    }

    /// <summary>
    /// The party's current key pair, made and published first if it has none; null when this node does
    /// not keep the party's keys (or has lost the file: then the party rotates). The caller disposes it.
    /// </summary>
    public async Task<(string KeyId, ECDsa KeyPair)?> OpenCurrentAsync(string party, string userId, CancellationToken cancellationToken)
    {
        if (!custody.Holds(party))
        {
            return null;
        }

        var current = await CurrentAsync(party, cancellationToken) ?? await MakeAsync(party, userId, retiring: null, cancellationToken);
        return await custody.OpenAsync(party, current.KeyId, cancellationToken) is { } keyPair ? (current.KeyId, keyPair) : null;
    }

    /// <summary>Retires the party's current key, if any, and publishes a new one; null when this node does not keep the party's keys.</summary>
    public async Task<PartySigningKey?> RotateAsync(string party, string userId, CancellationToken cancellationToken) =>
        custody.Holds(party) ? await MakeAsync(party, userId, await CurrentAsync(party, cancellationToken), cancellationToken) : null;

    private Task<PartySigningKey?> CurrentAsync(string party, CancellationToken cancellationToken) =>
        db.PartySigningKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Party == party && k.ValidUntil == null, cancellationToken);

    // The file first, then the register: a crash in between leaves an unused file, never a published
    // key without its private half. Two replicas racing meet at the unique index on the current key.
    private async Task<PartySigningKey> MakeAsync(string party, string userId, PartySigningKey? retiring, CancellationToken cancellationToken)
    {
        using var keyPair = PartyKey.CreateKeyPair();
        var now = time.GetUtcNow();
        var published = PartySigningKey.Publish(PartyKey.Of(party, keyPair), userId, now);
        await custody.KeepAsync(party, keyPair, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (retiring is not null)
            {
                // Retired before the new key is added: at no moment has the party two current keys.
                await db.PartySigningKeys.Where(k => k.KeyId == retiring.KeyId && k.ValidUntil == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.ValidUntil, now), cancellationToken);
            }

            db.PartySigningKeys.Add(published);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return published;
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.Entry(published).State = EntityState.Detached;
            custody.Discard(party, published.KeyId);
            return await CurrentAsync(party, cancellationToken)
                ?? throw new InvalidOperationException($"{party}'s new signing key was refused, and no other is current.");
        }
    }
}
