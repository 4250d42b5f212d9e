using HotlineSystem.BuildingBlocks;
using HotlineSystem.Escalation.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Escalation.Escalations;

public sealed class EscalationTimerOptions
{
    public const string Section = "Escalation:Timer";

    /// <summary>How often the timer looks for due escalations when the last look found fewer than a batch.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Due escalations claimed and fired in one transaction.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// The escalation timer. Due times are rows (escalations.due_at), not in-memory timers, so a restart
/// or another replica resumes exactly. Each round claims due rows — on PostgreSQL with
/// FOR UPDATE SKIP LOCKED, so replicas share the work and never fire the same row — fires them,
/// and commits the new state with the events in the outbox in one transaction. A row an
/// acknowledgement changed meanwhile fails on its version and is not fired.
/// </summary>
public sealed class EscalationTimer(IServiceScopeFactory scopes, TimeProvider time, IOptions<EscalationTimerOptions> options, ILogger<EscalationTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // An outage of the database is waited out (pauses up to 5 s, one warning); the rows keep the
        // due times, so what fell due meanwhile fires once, in the first round after it.
        var outage = new WorkerOutage("Escalation timer", logger, time, options.Value.PollInterval, TimeSpan.FromSeconds(5));
        while (!stoppingToken.IsCancellationRequested)
        {
            int fired;
            try
            {
                fired = await FireDueAsync(stoppingToken);
                outage.Succeeded();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(outage.Failed(exception, "a round failed"), time, stoppingToken);
                continue;
            }

            if (fired < options.Value.BatchSize)
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>One round: fires what is due now (at most a batch). Returns how many escalations it changed.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EscalationDbContext>();
        var recipients = scope.ServiceProvider.GetRequiredService<RecipientResolver>();
        var now = time.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await ClaimDue(db, now, options.Value.BatchSize).ToListAsync(cancellationToken);
        foreach (var escalation in due)
        {
            var tierRecipients = escalation.State == EscalationState.Running
                ? await recipients.ResolveAsync(escalation.CurrentTier, now, cancellationToken)
                : [];
            escalation.OnDue(tierRecipients, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An acknowledgement (or another timer, on SQLite) changed one of them first: nothing of
            // this round is published; the next round reads the rows afresh.
            await transaction.RollbackAsync(cancellationToken);
            logger.LogInformation("Escalation timer round lost a race to a concurrent change; retrying");
            return options.Value.BatchSize;
        }

        return due.Count;
    }

    private static IQueryable<Escalation> ClaimDue(EscalationDbContext db, DateTimeOffset now, int batch) =>
        db.Database.IsNpgsql()
            ? db.Escalations.FromSqlInterpolated(
                $"SELECT * FROM escalation.escalations WHERE due_at <= {now} ORDER BY due_at LIMIT {batch} FOR UPDATE SKIP LOCKED")
            : db.Escalations.Where(e => e.DueAt <= now).OrderBy(e => e.DueAt).Take(batch);
}
