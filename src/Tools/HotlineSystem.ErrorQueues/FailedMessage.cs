using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace HotlineSystem.ErrorQueues;

/// <summary>
/// A message in an error queue as MassTransit 8 left it there: the original body and properties,
/// plus the headers its error transport adds (MassTransit's MessageHeaders, set by
/// SendContextExtensions.SetExceptionHeaders when the move to "_error" happens).
/// </summary>
public sealed record FailedMessage(
    string? MessageId,
    string? MessageType,
    DateTimeOffset? FailedAt,
    string? InputAddress,
    string? ConsumerType,
    string? ExceptionType,
    string? ExceptionMessage,
    string? StackTrace)
{
    public const string ReasonHeader = "MT-Reason";
    public const string ExceptionTypeHeader = "MT-Fault-ExceptionType";
    public const string ExceptionMessageHeader = "MT-Fault-Message";
    public const string StackTraceHeader = "MT-Fault-StackTrace";
    public const string TimestampHeader = "MT-Fault-Timestamp";
    public const string InputAddressHeader = "MT-Fault-InputAddress";
    public const string ConsumerTypeHeader = "MT-Fault-ConsumerType";
    public const string MessageTypeHeader = "MT-MessageType";

    private const string FaultHeaderPrefix = "MT-Fault-";

    // An envelope header that shares the prefix: where Fault<T> events go, part of the original message.
    private const string FaultAddressHeader = "MT-Fault-Address";

    // The broker counts the error-queue copy's deliveries (quorum queues); they say nothing of the replay.
    private const string DeliveryCountHeader = "x-delivery-count";

    public static FailedMessage From(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers;
        var envelope = Envelope.Read(properties.ContentType, body.Span);
        return new FailedMessage(
            MessageId: properties.MessageId ?? envelope.MessageId,
            MessageType: Text(headers, MessageTypeHeader) ?? envelope.MessageType ?? Text(headers, "MT-Fault-MessageType"),
            FailedAt: DateTimeOffset.TryParse(Text(headers, TimestampHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null,
            InputAddress: Text(headers, InputAddressHeader),
            ConsumerType: Text(headers, ConsumerTypeHeader),
            ExceptionType: Text(headers, ExceptionTypeHeader),
            ExceptionMessage: Text(headers, ExceptionMessageHeader),
            StackTrace: Text(headers, StackTraceHeader));
    }

    /// <summary>The first lines of the stack trace: where it failed, without the framework's frames below.</summary>
    public IEnumerable<string> StackTraceHead(int lines) =>
        (StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(lines);

    /// <summary>The headers the move to the error queue added, which the replayed copy must not carry.</summary>
    public static bool IsAddedByTheErrorQueue(string header) =>
        header == ReasonHeader
        || header == DeliveryCountHeader
        || (header.StartsWith(FaultHeaderPrefix, StringComparison.Ordinal) && header != FaultAddressHeader);

    private static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                null => null,
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            }
            : null;

    /// <summary>MassTransit's JSON envelope (application/vnd.masstransit+json): messageId and messageType beside the message.</summary>
    private readonly record struct Envelope(string? MessageId, string? MessageType)
    {
        public static Envelope Read(string? contentType, ReadOnlySpan<byte> body)
        {
            if (contentType is null || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return default;
            }

            try
            {
                var reader = new Utf8JsonReader(body);
                if (!JsonDocument.TryParseValue(ref reader, out var document))
                {
                    return default;
                }

                using (document)
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        return default;
                    }

                    var messageId = root.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                    var messageType = root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
                        ? types[0].GetString()
                        : null;
                    return new Envelope(messageId, messageType);
                }
            }
            catch (JsonException)
            {
                // A body that is not JSON is often why the message is here: the headers still explain it.
                return default;
            }
        }
    }
}
