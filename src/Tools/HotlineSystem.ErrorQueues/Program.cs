using System.CommandLine;
using HotlineSystem.ErrorQueues;
using RabbitMQ.Client.Exceptions;

// The operator's tool for MassTransit's _error queues: docs/error-queues.md.
var rabbitMq = new Option<string?>("--rabbitmq")
{
    Description = $"amqp://user@host:5672/vhost (default: {BrokerAddress.ConnectionStringVariable}; a password left out comes from {BrokerAddress.PasswordVariable})",
    Recursive = true,
};
var queues = new Argument<string[]>("queue") { Description = "input or error queue names", Arity = ArgumentArity.OneOrMore };
var queue = new Argument<string>("queue") { Description = "an input or error queue name" };
var limit = new Option<int>("--limit") { Description = "show at most this many messages", DefaultValueFactory = _ => 100 };
var messageId = new Option<string?>("--message-id") { Description = "move only the message(s) with this message id" };

var list = new Command("list", "the number of messages in the _error queue of each queue named") { queues };
list.SetAction((parse, cancel) => RunAsync(parse, cancel, async tool =>
{
    Report.List(Console.Out, await tool.ListAsync(parse.GetRequiredValue(queues), cancel));
    return 0;
}));

var show = new Command("show", "each message of an _error queue, with its exception, without removing any") { queue, limit };
show.SetAction((parse, cancel) => RunAsync(parse, cancel, async tool =>
{
    Report.Show(Console.Out, parse.GetRequiredValue(queue), await tool.ShowAsync(parse.GetRequiredValue(queue), parse.GetValue(limit), cancel));
    return 0;
}));

var replay = new Command("replay", "move the messages of an _error queue back to its input queue") { queue, messageId };
replay.SetAction((parse, cancel) => RunAsync(parse, cancel, async tool =>
{
    var moved = await tool.ReplayAsync(parse.GetRequiredValue(queue), parse.GetValue(messageId), cancel);
    Report.Replay(Console.Out, moved);
    return moved.Count == 0 && parse.GetValue(messageId) is not null ? 1 : 0;
}));

return await new RootCommand("Sees and replays the messages in MassTransit's _error queues.") { rabbitMq, list, show, replay }
    .Parse(args).InvokeAsync();

async Task<int> RunAsync(ParseResult parse, CancellationToken cancel, Func<ErrorQueueTool, Task<int>> command)
{
    Uri broker;
    try
    {
        broker = BrokerAddress.Resolve(parse.GetValue(rabbitMq));
    }
    catch (ArgumentException exception)
    {
        Console.Error.WriteLine(exception.Message);
        return 64;
    }

    try
    {
        await using var tool = await ErrorQueueTool.ConnectAsync(broker, cancel);
        return await command(tool);
    }
    catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or PublishException or InvalidOperationException)
    {
        Console.Error.WriteLine(exception.Message);
        return 1;
    }
}
