using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Timers;

/// <summary>How a durable timer looks for rows that fell due (a section of configuration per timer).</summary>
public sealed class DueTimerOptions
{
    /// <summary>How often the timer looks for due rows when the last look found fewer than a batch.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Due rows claimed and handled in one transaction.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// What a service does with its rows that fell due: it changes each one (through the aggregate's own
/// behaviour, which moves its due time on or clears it). The timer saves the rows and the events they
/// raised, through the outbox, in one transaction.
/// </summary>
public interface IDueHandler<in TRow>
{
    Task OnDueAsync(IReadOnlyList<TRow> due, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// A durable timer (ADR 0006). Due times are a column of the aggregate's rows, not in-memory timers,
/// so a restart or another replica resumes exactly. Each round claims the rows whose due time has come
/// — on PostgreSQL with FOR UPDATE SKIP LOCKED, so replicas share the work and never take the same
/// row — hands them to the service's <see cref="IDueHandler{TRow}"/>, and commits the new state with
/// its events in the outbox in one transaction. A row another change updated meanwhile fails on its
/// version, and the round is dropped and read afresh: nothing fires twice.
/// </summary>
public sealed class DueTimer<TContext, TRow> : BackgroundService
    where TContext : DbContext
    where TRow : class
{
    private readonly string _name;
    private readonly Expression<Func<TRow, DateTimeOffset?>> _dueAt;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly DueTimerOptions _options;
    private readonly ILogger _logger;
    private string? _claimSql;

    public DueTimer(string name, Expression<Func<TRow, DateTimeOffset?>> dueAt, IServiceScopeFactory scopes, TimeProvider time, DueTimerOptions options, ILogger logger)
    {
        if (dueAt.Body is not MemberExpression { Member: var member } || member.DeclaringType?.IsAssignableFrom(typeof(TRow)) != true)
        {
            throw new ArgumentException("The due time must be a property of the row, e.g. row => row.DueAt.", nameof(dueAt));
        }

        (_name, _dueAt, _scopes, _time, _options, _logger) = (name, dueAt, scopes, time, options, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // An outage of the database is waited out (pauses up to 5 s, one warning); the rows keep their
        // due times, so what fell due meanwhile is handled once, in the first round after it.
        var outage = new WorkerOutage(_name, _logger, _time, _options.PollInterval, TimeSpan.FromSeconds(5));
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await HandleDueAsync(stoppingToken);
                outage.Succeeded();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(outage.Failed(exception, "a round failed"), _time, stoppingToken);
                continue;
            }

            if (handled < _options.BatchSize)
            {
                await Task.Delay(_options.PollInterval, _time, stoppingToken);
            }
        }
    }

    /// <summary>One round: handles what is due now (at most a batch). Returns how many rows it took, or a whole batch when it lost a race and should look again at once.</summary>
    public async Task<int> HandleDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var handler = scope.ServiceProvider.GetRequiredService<IDueHandler<TRow>>();
        var now = _time.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await ClaimDue(db, now).ToListAsync(cancellationToken);
        if (due.Count > 0)
        {
            await handler.OnDueAsync(due, now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another change (or another timer, on SQLite) updated one of them first: nothing of this
            // round is published; the next round reads the rows afresh.
            await transaction.RollbackAsync(cancellationToken);
            _logger.LogInformation("{Timer}: a round lost a race to a concurrent change; looking again", _name);
            return _options.BatchSize;
        }

        return due.Count;
    }

    private IQueryable<TRow> ClaimDue(TContext db, DateTimeOffset now)
    {
        if (db.Database.IsNpgsql())
        {
            return db.Set<TRow>().FromSqlRaw(_claimSql ??= ClaimSql(db), now, _options.BatchSize);
        }

        // SQLite (the embedded mode): one process, one writer at a time; the row versions settle races.
        var row = _dueAt.Parameters[0];
        var isDue = Expression.Lambda<Func<TRow, bool>>(
            Expression.LessThanOrEqual(_dueAt.Body, Expression.Constant(now, typeof(DateTimeOffset?))), row);
        return db.Set<TRow>().Where(isDue).OrderBy(_dueAt).Take(_options.BatchSize);
    }

    /// <summary>The claim in SQL, with the table and column names the model maps the row to.</summary>
    private string ClaimSql(TContext db)
    {
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in the model of {typeof(TContext).Name}.");
        var tableName = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var property = entity.FindProperty(((MemberExpression)_dueAt.Body).Member)
            ?? throw new InvalidOperationException($"{typeof(TRow).Name}.{((MemberExpression)_dueAt.Body).Member.Name} is not mapped.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var column = sql.DelimitIdentifier(property.GetColumnName(table)!);
        return $"SELECT * FROM {sql.DelimitIdentifier(tableName, entity.GetSchema())} WHERE {column} <= {{0}} ORDER BY {column} LIMIT {{1}} FOR UPDATE SKIP LOCKED";
    }
}
