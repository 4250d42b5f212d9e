using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Timers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Timers;

/// <summary>A follow-up owed by a date: reminded once before it, overdue once after it.</summary>
public sealed class FollowUp
{
    public Guid Id { get; set; }

    public DateTimeOffset Due { get; set; }

    /// <summary>When the timer should next look at it: the reminder, then the due date, then never.</summary>
    public DateTimeOffset? NextAt { get; set; }

    public int Reminded { get; set; }

    public int Overdue { get; set; }

    public int Version { get; set; }

    public void OnNext(DateTimeOffset now)
    {
        if (now < Due)
        {
            Reminded++;
            NextAt = Due;
        }
        else
        {
            Overdue++;
            NextAt = null;
        }

        Version++;
    }
}

public sealed class FollowUpDbContext(DbContextOptions<FollowUpDbContext> options) : ServiceDbContext(options, "timer_test")
{
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<FollowUp>(followUp =>
        {
            followUp.HasKey(f => f.Id);
            followUp.Property(f => f.Version).IsConcurrencyToken();
        });
    }
}

public sealed class FollowUpDue : IDueHandler<FollowUp>
{
    public Task OnDueAsync(IReadOnlyList<FollowUp> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var followUp in due)
        {
            followUp.OnNext(now);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Handles the rows after another change (its own UPDATE, in the round's transaction) moved their version on.</summary>
public sealed class RacedFollowUpDue(FollowUpDbContext db) : IDueHandler<FollowUp>
{
    public async Task OnDueAsync(IReadOnlyList<FollowUp> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("UPDATE follow_ups SET version = version + 1", cancellationToken);
        foreach (var followUp in due)
        {
            followUp.OnNext(now);
        }
    }
}

/// <summary>The building blocks' durable timer, on SQLite with a fake clock (PostgreSQL's claim is proven by the Escalation service's tests).</summary>
public sealed class DueTimerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 15, 3, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly FakeTimeProvider _time = new(Start);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var services = Host();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FollowUpDbContext>().Database.EnsureCreatedAsync();
    }

    public Task DisposeAsync() => _connection.DisposeAsync().AsTask();

    [Fact]
    public async Task A_row_is_handled_once_when_its_time_comes_and_not_before()
    {
        await using var services = Host();
        var id = await AddAsync(services, due: Start.AddDays(2), remindAt: Start.AddDays(1));
        var timer = services.GetRequiredService<DueTimer<FollowUpDbContext, FollowUp>>();

        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal((1, 0), await CountsAsync(services, id));

        _time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal((1, 1), await CountsAsync(services, id));
    }

    [Fact]
    public async Task What_fell_due_while_no_process_ran_is_handled_once_after_the_restart()
    {
        Guid id;
        await using (var before = Host())
        {
            id = await AddAsync(before, due: Start.AddHours(2), remindAt: Start.AddHours(1));
        }

        _time.Advance(TimeSpan.FromHours(5)); // down for five hours: the reminder and the due time both passed

        await using var after = Host();
        var timer = after.GetRequiredService<DueTimer<FollowUpDbContext, FollowUp>>();
        Assert.Equal(1, await timer.HandleDueAsync(CancellationToken.None)); // overdue: a reminder after the due date is none
        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal((0, 1), await CountsAsync(after, id));
    }

    [Fact]
    public async Task A_round_takes_at_most_a_batch_the_earliest_first_and_the_next_rounds_the_rest()
    {
        await using var services = Host(batchSize: 3);
        var ids = new List<Guid>();
        for (var i = 7; i >= 1; i--)
        {
            ids.Add(await AddAsync(services, due: Start.AddDays(1), remindAt: Start.AddMinutes(i)));
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        var timer = services.GetRequiredService<DueTimer<FollowUpDbContext, FollowUp>>();
        Assert.Equal(3, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal([(0, 0), (0, 0), (0, 0), (0, 0), (1, 0), (1, 0), (1, 0)], await AllCountsAsync(services, ids));

        // The next rounds take the rest (the running timer looks again at once after a full batch;
        // the Escalation service's tests with a batch of 25 prove the loop on PostgreSQL).
        Assert.Equal(3, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal(1, await timer.HandleDueAsync(CancellationToken.None));
        Assert.Equal(0, await timer.HandleDueAsync(CancellationToken.None));
        Assert.All(await AllCountsAsync(services, ids), counts => Assert.Equal((1, 0), counts));
    }

    [Fact]
    public async Task A_round_that_loses_a_race_to_another_change_commits_nothing_and_the_next_round_handles_the_row_once()
    {
        Guid id;
        await using (var raced = Host<RacedFollowUpDue>(batchSize: 10))
        {
            id = await AddAsync(raced, due: Start.AddDays(1), remindAt: Start.AddMinutes(1));
            _time.Advance(TimeSpan.FromMinutes(2));
            var timer = raced.GetRequiredService<DueTimer<FollowUpDbContext, FollowUp>>();
            Assert.Equal(10, await timer.HandleDueAsync(CancellationToken.None)); // a whole batch: look again at once
            Assert.Equal((0, 0), await CountsAsync(raced, id));
        }

        await using var services = Host();
        Assert.Equal(1, await services.GetRequiredService<DueTimer<FollowUpDbContext, FollowUp>>().HandleDueAsync(CancellationToken.None));
        Assert.Equal((1, 0), await CountsAsync(services, id));
    }

    private ServiceProvider Host(int batchSize = 500) => Host<FollowUpDue>(batchSize);

    private ServiceProvider Host<THandler>(int batchSize = 500)
        where THandler : class, IDueHandler<FollowUp>
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FollowUps:Timer:BatchSize"] = batchSize.ToString(), ["FollowUps:Timer:PollInterval"] = "00:00:00.010" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDbContext<FollowUpDbContext>(db => db.UseSqlite(_connection).UseSnakeCaseNamingConvention());
        services.AddDueTimer<FollowUpDbContext, FollowUp, THandler>("Follow-up timer", configuration.GetSection("FollowUps:Timer"), f => f.NextAt);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static async Task<Guid> AddAsync(IServiceProvider services, DateTimeOffset due, DateTimeOffset remindAt)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FollowUpDbContext>();
        var followUp = new FollowUp { Id = Guid.NewGuid(), Due = due, NextAt = remindAt };
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync();
        return followUp.Id;
    }

    /// <summary>One after another: the test's one SQLite connection takes one command at a time.</summary>
    private static async Task<(int Reminded, int Overdue)[]> AllCountsAsync(IServiceProvider services, IEnumerable<Guid> ids)
    {
        var counts = new List<(int, int)>();
        foreach (var id in ids)
        {
            counts.Add(await CountsAsync(services, id));
        }

        return [.. counts];
    }

    private static async Task<(int Reminded, int Overdue)> CountsAsync(IServiceProvider services, Guid id)
    {
        await using var scope = services.CreateAsyncScope();
        var followUp = await scope.ServiceProvider.GetRequiredService<FollowUpDbContext>().FollowUps.AsNoTracking().SingleAsync(f => f.Id == id);
        return (followUp.Reminded, followUp.Overdue);
    }
}
