using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace HotlineSystem.ErrorQueues;

/// <summary>The number of messages in an error queue; null when the queue does not exist (nothing ever failed there).</summary>
public sealed record ErrorQueueCount(string Queue, uint? Messages);

/// <summary>A message moved from an error queue back to its input queue.</summary>
public sealed record ReplayedMessage(string From, string To, FailedMessage Message);

/// <summary>
/// The operator's side of MassTransit's "_error" queues, over AMQP only (no management plugin):
/// count, read without removing, and move back to the input queue.
/// </summary>
public sealed class ErrorQueueTool : IAsyncDisposable
{
    public const string ErrorSuffix = "_error";

    private const ushort NotFound = 404;

    private readonly IConnection _connection;

    private ErrorQueueTool(IConnection connection) => _connection = connection;

    public static async Task<ErrorQueueTool> ConnectAsync(Uri broker, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory
        {
            Uri = broker,
            ClientProvidedName = "hotline-error-queues",
            // A tool run is short: a lost connection should fail it loudly, not resume with stale delivery tags.
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        return new ErrorQueueTool(await factory.CreateConnectionAsync(cancellationToken));
    }

    /// <summary>"incidents-x" and "incidents-x_error" both name the error queue "incidents-x_error".</summary>
    public static string ErrorQueueOf(string queue) => queue.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? queue : queue + ErrorSuffix;

    public static string InputQueueOf(string errorQueue) => ErrorQueueOf(errorQueue)[..^ErrorSuffix.Length];

    /// <summary>
    /// The error queues of the queues named (input or error queue names). AMQP cannot list queues, so
    /// each is probed with a passive declare; MassTransit declares an error queue at the first failure.
    /// </summary>
    public async Task<IReadOnlyList<ErrorQueueCount>> ListAsync(IEnumerable<string> queues, CancellationToken cancellationToken = default)
    {
        var counts = new List<ErrorQueueCount>();
        foreach (var errorQueue in queues.Select(ErrorQueueOf).Distinct())
        {
            // A passive declare of a missing queue closes its channel: one channel per probe.
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            counts.Add(new ErrorQueueCount(errorQueue, await CountAsync(channel, errorQueue, cancellationToken)));
        }

        return counts;
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> messages without removing any: each is fetched and never
    /// acknowledged, and closing the channel gives them all back to the queue in their order.
    /// </summary>
    public async Task<IReadOnlyList<FailedMessage>> ShowAsync(string queue, int limit, CancellationToken cancellationToken = default)
    {
        var errorQueue = ErrorQueueOf(queue);
        var messages = new List<FailedMessage>();
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var count = await CountAsync(channel, errorQueue, cancellationToken) ?? throw QueueMissing(errorQueue);
        var wanted = Math.Min(count, (uint)Math.Max(limit, 0));
        while (messages.Count < wanted)
        {
            var delivery = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
            if (delivery is null)
            {
                break;
            }

            messages.Add(FailedMessage.From(delivery.BasicProperties, delivery.Body));
        }

        await channel.CloseAsync(cancellationToken);
        return messages;
    }

    /// <summary>
    /// Moves the messages of an error queue (or only those with <paramref name="messageId"/>) back to
    /// its input queue: the same body and properties without the fault headers, published with a
    /// confirm, and only then removed from the error queue. A crash in between leaves a copy in both
    /// queues; the consumers' inbox handles a message id once, so the duplicate has no effect.
    /// </summary>
    public async Task<IReadOnlyList<ReplayedMessage>> ReplayAsync(string queue, string? messageId = null, CancellationToken cancellationToken = default)
    {
        var errorQueue = ErrorQueueOf(queue);
        var inputQueue = InputQueueOf(errorQueue);
        var replayed = new List<ReplayedMessage>();
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await _connection.CreateChannelAsync(options, cancellationToken);
        _ = await CountAsync(channel, inputQueue, cancellationToken) ?? throw QueueMissing(inputQueue);

        // Only what is there now: a replayed message that fails again comes back behind these, not into this loop.
        var count = await CountAsync(channel, errorQueue, cancellationToken) ?? throw QueueMissing(errorQueue);
        for (var i = 0; i < count; i++)
        {
            var delivery = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
            if (delivery is null)
            {
                break;
            }

            var message = FailedMessage.From(delivery.BasicProperties, delivery.Body);
            if (messageId is not null && !string.Equals(message.MessageId, messageId, StringComparison.OrdinalIgnoreCase))
            {
                // Left unacknowledged: closing the channel puts it back where it was.
                continue;
            }

            var properties = new BasicProperties(delivery.BasicProperties)
            {
                Headers = delivery.BasicProperties.Headers?
                    .Where(header => !FailedMessage.IsAddedByTheErrorQueue(header.Key))
                    .ToDictionary(header => header.Key, header => header.Value),
            };

            // Mandatory: a message the broker cannot route to the input queue fails here instead of vanishing.
            await channel.BasicPublishAsync(exchange: "", routingKey: inputQueue, mandatory: true, properties, delivery.Body, cancellationToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            replayed.Add(new ReplayedMessage(errorQueue, inputQueue, message));
        }

        await channel.CloseAsync(cancellationToken);
        return replayed;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync();
        _connection.Dispose();
    }

    private static async Task<uint?> CountAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }

    private static InvalidOperationException QueueMissing(string queue) => new($"The queue '{queue}' does not exist on this virtual host.");
}
