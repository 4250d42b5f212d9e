using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.Contracts;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>How events are written into the outbox and read back out: the contracts only.</summary>
public static class MessageSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly System.Reflection.Assembly ContractsAssembly = typeof(IChannelEvent).Assembly;

    public static string Serialize(object message)
    {
        if (message.GetType().Assembly != ContractsAssembly)
        {
            throw new InvalidOperationException($"{message.GetType()} is not a message contract; only HotlineSystem.Contracts types go through the outbox.");
        }

        return JsonSerializer.Serialize(message, message.GetType(), Options);
    }

    public static Type ResolveType(string messageType) =>
        ContractsAssembly.GetType(messageType, throwOnError: false)
        ?? throw new InvalidOperationException($"Unknown message type '{messageType}' in the outbox.");

    public static object Deserialize(string body, Type type) =>
        JsonSerializer.Deserialize(body, type, Options)
        ?? throw new InvalidOperationException($"Outbox body of {type} deserialised to null.");
}
