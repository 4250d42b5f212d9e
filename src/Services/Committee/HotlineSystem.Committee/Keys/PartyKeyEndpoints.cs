using FluentValidation;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Committee.Keys;

public sealed record ListSigningKeysQuery(int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

/// <summary>A party's public key as published: the PEM that <c>openssl pkey -pubin</c> reads, and when it may sign.</summary>
public sealed record PartySigningKeyView(string KeyId, string Party, string PublicKeyPem, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, bool Current)
{
    public static PartySigningKeyView Of(PartySigningKey key) => new(key.KeyId, key.Party, key.PublicKeyPem, key.ValidFrom, key.ValidUntil, key.IsCurrent);
}

public sealed class ListSigningKeysValidator : AbstractValidator<ListSigningKeysQuery>
{
    public ListSigningKeysValidator() => this.PageRules(ListSigningKeysQuery.MaxPageSize);
}

/// <summary>The register of the parties' public signing keys, and a party's rotation of its own (ADR 0013).</summary>
internal static class PartyKeyEndpoints
{
    public static async Task<Results<Ok<PagedList<PartySigningKeyView>>, ProblemHttpResult>> List(
        string party, [AsParameters] ListSigningKeysQuery query, CommitteeDbContext db, HttpContext http)
    {
        if (!await db.Parties.AnyAsync(p => p.Code == party, http.RequestAborted))
        {
            return Problems.NotFound("party");
        }

        var keys = db.PartySigningKeys.AsNoTracking().Where(k => k.Party == party).OrderByDescending(k => k.ValidFrom).ThenBy(k => k.KeyId);
        return TypedResults.Ok(await keys.PageAsync(query, PartySigningKeyView.Of, http.RequestAborted));
    }

    public static async Task<Results<Created<PartySigningKeyView>, ProblemHttpResult>> Rotate(
        string party, PartySigningKeys keys, IOptions<SigningSettings> signing, TimeProvider time, HttpContext http)
    {
        if (OwnParty.Refusal(http.User, party, "party") is { } refusal)
        {
            return refusal;
        }

        FreshSecondFactor.Ensure(HotlineClaims.SecondFactorAt(http.User), time.GetUtcNow(), "rotating a signing key", signing.Value.SecondFactorWindow);
        var actor = CommitteeAccess.ActorOf(http.User);
        if (await keys.RotateAsync(party, actor.UserId, http.RequestAborted) is not { } key)
        {
            return Problems.Conflict("key-not-held", $"This node does not keep {party}'s signing keys: rotate them on the node that does.");
        }

        return TypedResults.Created($"/api/parties/{party}/signing-keys", PartySigningKeyView.Of(key));
    }
}
