using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks;

/// <summary>
/// What a failure means for whoever meets it: a request answers 503, a consumer keeps the message and
/// tries again, a background worker waits and goes on. The one place that tells an outage or a race
/// from a failure that will happen again however often the work is tried.
/// </summary>
public static class TransientFaults
{
    /// <summary>
    /// The database or the broker cannot be reached or refused for the moment (connection refused,
    /// reset or timed out, server shutting down or starting, too many connections, serialization
    /// failure, deadlock, broker connection or channel closed). Waiting, however long, cures it.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                case DbException { SqlState: var state } when IsTransientSqlState(state):
                case SocketException or TimeoutException or IOException:
                // The process is shutting down under the work (its container is disposed): another
                // process, or this one started again, does it; a message goes back to its queue, not to
                // the error queue. Any other disposed object is a defect, not an outage.
                case ObjectDisposedException { ObjectName: "IServiceProvider" }:
                // SQLite (embedded mode): busy or locked for longer than the busy timeout.
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }:
                // The broker went away: MassTransit's connection to it, or RabbitMQ's client (a closed
                // connection or channel; an unreachable broker is an IOException).
                case MassTransit.ConnectionException:
                case RabbitMQ.Client.Exceptions.OperationInterruptedException:
                    return true;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(IsTransient);
            }
        }

        return false;
    }

    /// <summary>
    /// Two writers met: a unique key taken by a concurrent insert (two deliveries of one message, two
    /// consumers creating the same row) or a row changed since it was read. Trying again reads the
    /// winner's result and settles it; a race that does not settle after a few tries is a defect.
    /// </summary>
    public static bool IsRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbUpdateConcurrencyException || e is DbException { SqlState: "23505" }
                // SQLite: UNIQUE constraint failed (extended code SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY).
                || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 })
            {
                return true;
            }
        }

        return false;
    }

    // PostgreSQL classes: 08 connection exception, 53 insufficient resources, 57P0x the server shuts
    // down or starts, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
    private static bool IsTransientSqlState(string? state) =>
        state is not null && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state is "57P01" or "57P02" or "57P03" or "40001" or "40P01" or "55P03");
}
