using System.Data.Common;
using System.Net.Sockets;
using HotlineSystem.BuildingBlocks;
using HotlineSystem.BuildingBlocks.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>The one classification of failures that requests (503), consumers (retry or error queue) and workers (wait) share.</summary>
public sealed class TransientFaultsTests
{
    /// <summary>A database driver's exception, as Npgsql raises them: a SQLSTATE and whether a retry may succeed.</summary>
    private sealed class DriverException(string message, bool isTransient = false, string? sqlState = null) : DbException(message)
    {
        public override bool IsTransient => isTransient;

        public override string? SqlState => sqlState;
    }

    public static TheoryData<string, Exception> Transient => new()
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
        { "PostgreSQL serialization failure (40001)", new DriverException("could not serialize access", sqlState: "40001") },
        { "PostgreSQL deadlock (40P01)", new DriverException("deadlock detected", sqlState: "40P01") },
        { "PostgreSQL too many connections (53300)", new DriverException("too many clients already", sqlState: "53300") },
        { "PostgreSQL connection failure (08006)", new DriverException("connection failure", sqlState: "08006") },
        { "the broker's channel closed", new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED")) },
        { "the broker unreachable, inside MassTransit's connection exception", new MassTransit.RabbitMqConnectionException("Connect failed", new SocketException((int)SocketError.ConnectionRefused)) },
        { "a batch of which one part failed for an outage", new AggregateException(new TimeoutException()) },
        { "the process shutting down under the work", new ObjectDisposedException("IServiceProvider") },
    };

    public static TheoryData<string, Exception> NotTransient => new()
    {
        { "a unique violation (23505)", new DriverException("duplicate key value violates unique constraint", sqlState: "23505") },
        { "a SQLite constraint failure", new SqliteException("UNIQUE constraint failed", 19) },
        { "EF Core's update exception around a unique violation", new DbUpdateException("An error occurred while saving.", new DriverException("duplicate key", sqlState: "23505")) },
        { "an optimistic-concurrency failure", new DbUpdateConcurrencyException("The row was changed.") },
        { "a rule of an aggregate", RuleViolation.Conflict("invalid-transition", "No.") },
        { "a programming error", new NullReferenceException() },
        { "a message that does not deserialize", new System.Text.Json.JsonException("The JSON value could not be converted") },
        { "a defect that used a disposed object", new ObjectDisposedException("NotificationsDbContext") },
    };

    public static TheoryData<string, Exception> Races => new()
    {
        { "a unique violation (23505)", new DriverException("duplicate key value violates unique constraint", sqlState: "23505") },
        { "EF Core's update exception around a unique violation", new DbUpdateException("An error occurred while saving.", new DriverException("duplicate key", sqlState: "23505")) },
        { "an optimistic-concurrency failure", new DbUpdateConcurrencyException("The row was changed.") },
        { "a SQLite unique constraint (2067)", new SqliteException("UNIQUE constraint failed", 19, 2067) },
    };

    [Theory]
    [MemberData(nameof(Races))]
    public void Two_writers_meeting_is_a_race_not_an_outage(string _, Exception exception)
    {
        Assert.True(TransientFaults.IsRace(exception));
        Assert.False(TransientFaults.IsTransient(exception));
    }

    [Fact]
    public void A_rule_or_a_defect_is_no_race() =>
        Assert.False(TransientFaults.IsRace(new InvalidOperationException("outer", new NullReferenceException())));

    [Theory]
    [MemberData(nameof(Transient))]
    public void An_outage_of_the_database_or_the_broker_is_transient(string _, Exception exception) =>
        Assert.True(TransientFaults.IsTransient(exception));

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void A_fault_that_waiting_would_not_cure_is_not_transient(string _, Exception exception) =>
        Assert.False(TransientFaults.IsTransient(exception));
}
