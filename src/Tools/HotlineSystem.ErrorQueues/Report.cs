using System.Globalization;

namespace HotlineSystem.ErrorQueues;

/// <summary>What the commands print: plain text for an operator's terminal.</summary>
public static class Report
{
    private const int StackTraceLines = 3;

    public static void List(TextWriter output, IReadOnlyList<ErrorQueueCount> counts)
    {
        foreach (var count in counts)
        {
            output.WriteLine(count.Messages is { } messages
                ? $"{count.Queue}\t{messages}"
                : $"{count.Queue}\t-\t(no such queue: nothing has failed there yet)");
        }
    }

    public static void Show(TextWriter output, string queue, IReadOnlyList<FailedMessage> messages)
    {
        output.WriteLine($"{ErrorQueueTool.ErrorQueueOf(queue)}: {messages.Count} message(s) shown, none removed");
        foreach (var message in messages)
        {
            output.WriteLine();
            output.WriteLine($"message   {message.MessageId ?? "(no message id)"}");
            output.WriteLine($"type      {message.MessageType ?? "(unknown)"}");
            output.WriteLine($"failed    {message.FailedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "(unknown)"}");
            output.WriteLine($"in        {message.InputAddress ?? "(unknown)"}");
            if (message.ConsumerType is not null)
            {
                output.WriteLine($"consumer  {message.ConsumerType}");
            }

            output.WriteLine($"exception {message.ExceptionType ?? "(none recorded)"}: {message.ExceptionMessage}");
            foreach (var line in message.StackTraceHead(StackTraceLines))
            {
                output.WriteLine($"          {line}");
            }
        }
    }

    public static void Replay(TextWriter output, IReadOnlyList<ReplayedMessage> replayed)
    {
        foreach (var moved in replayed)
        {
            output.WriteLine($"moved {moved.Message.MessageId ?? "(no message id)"} ({moved.Message.MessageType ?? "unknown type"}) {moved.From} -> {moved.To}");
        }

        output.WriteLine($"{replayed.Count} message(s) moved");
    }
}
