using System.Globalization;
using System.Threading.RateLimiting;
using HotlineSystem.BuildingBlocks.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HotlineSystem.ServiceDefaults;

/// <summary>
/// Sheds load beyond what the process can serve: at most <c>Overload:ConcurrencyLimit</c> requests
/// run at once and <c>Overload:QueueLimit</c> wait for them; any more are answered at once
/// with 503 "overloaded" and Retry-After, instead of waiting for a database connection until the pool's
/// timeout and failing then. Health checks and the notification hub's long-lived connections are exempt
/// (<c>DisableRateLimiting()</c>).
/// </summary>
public static class OverloadProtection
{
    public const string Section = "Overload";

    /// <summary>Connections a process needs besides requests: the outbox relay, consumers, health checks.</summary>
    private const int ConnectionsForBackgroundWork = 4;

    public static IHostApplicationBuilder AddOverloadProtection(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var concurrencyLimit = section.GetValue<int?>("ConcurrencyLimit") ?? DefaultConcurrencyLimit(builder.Configuration);
        var queueLimit = section.GetValue<int?>("QueueLimit") ?? concurrencyLimit;
        var retryAfter = section.GetValue("RetryAfterSeconds", 1).ToString(CultureInfo.InvariantCulture);
        if (concurrencyLimit < 1 || queueLimit < 0)
        {
            throw new InvalidOperationException($"{Section}:ConcurrencyLimit must be at least 1 and {Section}:QueueLimit at least 0.");
        }

        builder.Services.AddRateLimiter(limiter =>
        {
            // One partition for the whole process: the fast path is one permit taken and returned.
            var options = new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrencyLimit,
                QueueLimit = queueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, bool>(_ => RateLimitPartition.GetConcurrencyLimiter(true, _ => options));
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = retryAfter;
                return new ValueTask(Problems.Create(StatusCodes.Status503ServiceUnavailable, "overloaded", "The service is busy.",
                    "The service has more requests than it can serve right now. Nothing was recorded; send the same request again " +
                    "after the time in Retry-After (with the same request id).").ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }

    /// <summary>
    /// Requests at once by default: what the database pool serves without a request waiting for a
    /// connection (a request holds at most one), after the connections background work needs.
    /// </summary>
    private static int DefaultConcurrencyLimit(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(DatabaseSetup.PostgresConnectionName);
        var poolSize = new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize; // 100 unless set
        return Math.Max(1, poolSize - ConnectionsForBackgroundWork);
    }
}
