using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>
/// An enum value is one of its names, nothing else: not a number ("1", which binds to whatever has
/// that value, or to none), not a combination ("Sev1,Sev2", which .NET reads as Sev3). The one rule
/// for routes, query strings and bodies; docs/api.md lists the names.
/// </summary>
public static class EnumNames
{
    // Names read once per enum type: this runs for every enum in every request.
    private static readonly ConcurrentDictionary<Type, Dictionary<string, object>> ValuesByName = new();

    /// <summary>The defined name equal to <paramref name="text"/> (ignoring case), or false.</summary>
    public static bool TryParse(Type enumType, string? text, out object? value)
    {
        value = null;
        return !string.IsNullOrEmpty(text) && NamesOf(enumType).TryGetValue(text, out value);
    }

    public static string Listed(Type enumType) => string.Join(", ", Enum.GetNames(enumType));

    private static Dictionary<string, object> NamesOf(Type enumType) =>
        ValuesByName.GetOrAdd(enumType, type => Enum.GetNames(type).ToDictionary(name => name, name => Enum.Parse(type, name), StringComparer.OrdinalIgnoreCase));
}

/// <summary>Reads and writes enums as their names only (<see cref="EnumNames"/>).</summary>
public sealed class EnumNamesConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(NameConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class NameConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && EnumNames.TryParse(typeof(T), reader.GetString(), out var value)
                ? (T)value!
                : throw new JsonException($"Expected one of: {EnumNames.Listed(typeof(T))}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            EnumNames.TryParse(typeof(T), reader.GetString(), out var value)
                ? (T)value!
                : throw new JsonException($"Expected one of: {EnumNames.Listed(typeof(T))}.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());
    }
}
