using HotlineSystem.BuildingBlocks;
using HotlineSystem.Committee.Data;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Committees;

/// <summary>
/// A record numbered after the last of its kind (a meeting per committee, a decision per committee and
/// year) takes the last number plus one and leaves the rest to the unique index: when another request
/// took that number at the same moment, the save fails whole and the request is answered again from the
/// start, where a retry of the same request finds its record. After <see cref="Attempts"/> clashes the
/// caller is asked to send again (409 concurrent-change) rather than kept waiting.
/// </summary>
internal static class Numbering
{
    public const int Attempts = 3;

    /// <param name="answered">The answer when there is nothing to number: not found, refused, or the record this request id made already.</param>
    /// <param name="numberAndSave">Takes the next number, adds the record and saves; a clash throws a <see cref="DbUpdateException"/> that <see cref="TransientFaults.IsRace"/> knows.</param>
    /// <param name="tooBusy">The answer after <see cref="Attempts"/> clashes.</param>
    public static async Task<TResult> SaveNextNumberedAsync<TResult>(
        this CommitteeDbContext db, Func<Task<TResult?>> answered, Func<Task<TResult>> numberAndSave, Func<TResult> tooBusy)
        where TResult : class
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await answered() is { } answer)
            {
                return answer;
            }

            if (attempt > Attempts)
            {
                return tooBusy();
            }

            try
            {
                return await numberAndSave();
            }
            catch (DbUpdateException exception) when (TransientFaults.IsRace(exception))
            {
                // Only a clash is tried again here; an outage goes up and is answered 503.
                db.ChangeTracker.Clear();
            }
        }
    }
}
