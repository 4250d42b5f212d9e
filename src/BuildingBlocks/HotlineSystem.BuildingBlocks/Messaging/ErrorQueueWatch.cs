using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>The messaging metrics of a service process (OpenTelemetry meter <see cref="MeterName"/>).</summary>
public sealed class MessagingMetrics : IDisposable
{
    public const string MeterName = "HotlineSystem.Messaging";

    private readonly Meter _meter;

    public MessagingMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        ErrorQueueMessages = _meter.CreateCounter<long>("hotline.messaging.error_queue.messages", unit: "{message}",
            description: "Messages moved to an error queue: they cannot be handled and wait for an operator (docs/operations.md).");
    }

    public Counter<long> ErrorQueueMessages { get; }

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// First filter of every endpoint's error pipe: whatever goes to an _error queue is logged at Warning
/// with its exception and counted, then the usual fault event and move follow.
/// </summary>
public sealed class ErrorQueueWatch(ILogger logger, MessagingMetrics metrics) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var queue = context.InputAddress.AbsolutePath.Trim('/');
        metrics.ErrorQueueMessages.Add(1, new KeyValuePair<string, object?>("queue", queue));
        // The stack trace travels with the message (MT-Fault-StackTrace): the log says what and where.
        logger.LogWarning("Message {MessageId} moved to {Queue}_error: it cannot be handled ({Fault}: {FaultMessage}); see docs/operations.md, the error queues",
            context.GetMessageId(), queue, context.Exception.GetType().Name, context.Exception.Message);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("errorQueueWatch");
}
