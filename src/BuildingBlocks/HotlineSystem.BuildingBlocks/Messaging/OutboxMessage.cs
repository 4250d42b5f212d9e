using System.Diagnostics;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// An event waiting to be published. Written in the same transaction as the state change that
/// raised it; its Id becomes the MassTransit MessageId, which consumers de-duplicate on.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The contract's full type name, e.g. HotlineSystem.Contracts.Incidents.IncidentReported.</summary>
    public string MessageType { get; private set; } = "";

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>The W3C trace context of the transaction that wrote the row, so one trace follows the event onto the bus.</summary>
    public string? TraceParent { get; private set; }

    public string? LastError { get; private set; }

    public static OutboxMessage For(object @event, DateTimeOffset createdAt) => new()
    {
        Id = Guid.CreateVersion7(createdAt),
        MessageType = @event.GetType().FullName!,
        Body = MessageSerialization.Serialize(@event),
        CreatedAt = createdAt,
        TraceParent = Activity.Current?.Id,
    };

    internal void MarkSent(DateTimeOffset sentAt)
    {
        SentAt = sentAt;
        Attempts++;
        LastError = null;
    }

    internal void MarkFailed(string error)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
    }
}

/// <summary>A message a consumer has already handled, recorded in the same transaction as its effect.</summary>
public sealed class InboxMessage(Guid messageId, string consumer, DateTimeOffset processedAt)
{
    public Guid MessageId { get; private set; } = messageId;

    public string Consumer { get; private set; } = consumer;

    public DateTimeOffset ProcessedAt { get; private set; } = processedAt;
}
