using System.Data.Common;
using System.Net.Sockets;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.ServiceDefaults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.UnitTests.ServiceDefaults;

public sealed class ProblemExceptionHandlerTests
{
    /// <summary>A database driver's exception, as Npgsql raises them: a SQLSTATE and whether a retry may succeed.</summary>
    private sealed class DriverException(string message, bool isTransient = false, string? sqlState = null) : DbException(message)
    {
        public override bool IsTransient => isTransient;

        public override string? SqlState => sqlState;
    }

    [Theory]
    [InlineData(null, "$")]
    [InlineData("", "$")]
    [InlineData("$", "$")]
    [InlineData("$.title", "title")]
    [InlineData("$.minerals[2]", "minerals[2]")]
    [InlineData("$.quantity.tonnes", "quantity.tonnes")]
    public void A_JSON_path_becomes_the_field_the_client_sent(string? path, string field) =>
        Assert.Equal(field, ProblemExceptionHandler.JsonPathToField(path));

    public static TheoryData<string, Exception> Unavailable => new()
    {
        { "a transient driver error", new DriverException("Connection reset", isTransient: true) },
        { "PostgreSQL shutting down (57P01)", new DriverException("terminating connection due to administrator command", sqlState: "57P01") },
        { "PostgreSQL crash shutdown (57P02)", new DriverException("crash shutdown", sqlState: "57P02") },
        { "PostgreSQL not accepting connections yet (57P03)", new DriverException("the database system is starting up", sqlState: "57P03") },
        { "a refused socket", new SocketException((int)SocketError.ConnectionRefused) },
        { "a timeout", new TimeoutException("Timeout during reading attempt") },
        { "a socket error inside EF Core's update exception", new DbUpdateException("An error occurred while saving.", new SocketException((int)SocketError.ConnectionReset)) },
        { "a timeout two levels down", new InvalidOperationException("outer", new DbUpdateException("inner", new TimeoutException())) },
        { "SQLite busy past the busy timeout (5)", new DbUpdateException("An error occurred while saving.", new SqliteException("database is locked", 5)) },
        { "a SQLite table locked (6)", new SqliteException("database table is locked", 6) },
    };

    public static TheoryData<string, Exception> NotUnavailable => new()
    {
        { "a unique violation (23505)", new DriverException("duplicate key value violates unique constraint", sqlState: "23505") },
        { "a SQLite constraint failure", new SqliteException("UNIQUE constraint failed", 19) },
        { "EF Core's update exception around a unique violation", new DbUpdateException("An error occurred while saving.", new DriverException("duplicate key", sqlState: "23505")) },
        { "an optimistic-concurrency failure", new DbUpdateConcurrencyException("The row was changed.") },
        { "a rule of an aggregate", RuleViolation.Conflict("invalid-transition", "No.") },
        { "a programming error", new NullReferenceException() },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void A_database_that_cannot_be_reached_is_unavailable(string _, Exception exception) =>
        Assert.True(ProblemExceptionHandler.IsDatabaseUnavailable(exception));

    [Theory]
    [MemberData(nameof(NotUnavailable))]
    public void A_fault_that_a_retry_would_not_cure_is_not_unavailability(string _, Exception exception) =>
        Assert.False(ProblemExceptionHandler.IsDatabaseUnavailable(exception));
}
