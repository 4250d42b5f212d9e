using System.Security.Claims;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Committees;

/// <summary>
/// What every committee use case needs: the acting person, the records their party may see (those of
/// its channels: another channel's record is a 404), and a change made on the version last read.
/// </summary>
internal static class CommitteeAccess
{
    public static CommitteeActor ActorOf(ClaimsPrincipal principal)
    {
        var user = CurrentUser.From(principal);
        return new CommitteeActor(user.UserId, user.Party);
    }

    public static bool Sees(this ClaimsPrincipal caller, ICommitteeRecord record) =>
        ChannelCode.TryParse(record.Channel, out var channel) && channel.Includes(CurrentUser.From(caller).Party);

    /// <summary>The committee of a channel of the caller's party, or null (404).</summary>
    public static async Task<JointCommittee?> CommitteeOfAsync(this CommitteeDbContext db, ClaimsPrincipal caller, string? channel, CancellationToken cancellationToken)
    {
        var (code, refusal) = OwnParty.Channel(caller, channel);
        return refusal is null ? await db.Committees.SingleOrDefaultAsync(c => c.Channel == code.Value, cancellationToken) : null;
    }

    public static void SetETag(this HttpContext http, int version) => http.Response.Headers.ETag = IfMatch.ETagOf(version);

    /// <summary>
    /// A change to a committee record the caller sees, on the version named by If-Match (428 without,
    /// 412 when stale), saved with its outbox events in one transaction; a write that races another
    /// fails on the version column and gets the same 412. The rules live on the aggregates.
    /// </summary>
    public static async Task<Results<Ok<TView>, ProblemHttpResult>> ChangeAsync<T, TView>(
        CommitteeDbContext db, T? record, string what, HttpContext http, TimeProvider time,
        Action<T, JointCommittee, CommitteeActor, DateTimeOffset> change, Func<T, Task<TView>> view)
        where T : class, ICommitteeRecord
    {
        if (record is null || !http.User.Sees(record))
        {
            return Problems.NotFound(what);
        }

        var expected = http.Request.IfMatchVersion();
        if (expected is null)
        {
            return Problems.PreconditionRequired();
        }

        if (expected != record.Version)
        {
            return Problems.PreconditionFailed(record.Version);
        }

        var committee = await db.Committees.SingleAsync(c => c.Channel == record.Channel, http.RequestAborted);
        change(record, committee, ActorOf(http.User), time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(record).State = EntityState.Detached;
            var current = await db.Set<T>().AsNoTracking().SingleAsync(r => r.Id == record.Id, http.RequestAborted);
            return Problems.PreconditionFailed(current.Version);
        }

        http.SetETag(record.Version);
        return TypedResults.Ok(await view(record));
    }
}
