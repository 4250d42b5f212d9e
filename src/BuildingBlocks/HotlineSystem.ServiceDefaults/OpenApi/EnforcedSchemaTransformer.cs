using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HotlineSystem.ServiceDefaults.OpenApi;

/// <summary>
/// Schemas as the server enforces them: a property is required when the record's nullability or its
/// validator requires it, and typed nullable only when null is accepted; enums by their names (the
/// server reads names only); fixed values and code shapes from <see cref="OpenApiValues"/>; the
/// validator's limits as minimum, maximum and maxLength.
/// </summary>
internal sealed class EnforcedSchemaTransformer(IEnumerable<OpenApiValues> values) : IOpenApiSchemaTransformer
{
    private const string LocalDateTimePattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$";

    private readonly List<OpenApiValues> _values = [.. values];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String | ((schema.Type ?? 0) & JsonSchemaType.Null);
            schema.Format = null;
            schema.Pattern = null;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(name))];
        }

        // Dates are read by the domain's own converters (ServiceDefaults/Input/DomainDates), which hide
        // their shape from the generator: say it here, within the domain's years.
        if (type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(DateTime))
        {
            var nullable = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null
                || (context.JsonPropertyInfo is { } member && AcceptsNull(member, context.ApplicationServices));
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = type == typeof(DateOnly) ? "date" : "date-time";
        }

        if (type == typeof(DateTime))
        {
            // DateTime is a local time (a roster's): no offset, so not an RFC 3339 date-time.
            schema.Format = null;
            schema.Pattern = LocalDateTimePattern;
            schema.Description ??= "A local date-time, without offset or Z (2026-12-07T09:00:00).";
        }

        NumbersAsNumbers(schema);
        if (context.JsonPropertyInfo is { } property)
        {
            Describe(schema, property, context.ApplicationServices);
        }

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            schema.Required = context.JsonTypeInfo.Properties
                .Where(p => schema.Properties.ContainsKey(p.Name) && IsRequired(p, context.ApplicationServices))
                .Select(p => p.Name)
                .ToHashSet();
        }

        return Task.CompletedTask;
    }

    private void Describe(OpenApiSchema schema, JsonPropertyInfo property, IServiceProvider services)
    {
        var acceptsNull = AcceptsNull(property, services);
        if (!acceptsNull)
        {
            // A component (enum, record) is wrapped in oneOf [null, $ref] after the transformers, by this marker.
            schema.Metadata?.Remove("x-is-nullable-property");
        }

        var componentized = schema.Metadata?.ContainsKey("x-schema-id") == true;
        if (!componentized && schema.Type is { } type)
        {
            schema.Type = acceptsNull ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
        }

        if (OpenApiValues.Find(_values, property.Name, property.DeclaringType.Assembly) is { } values)
        {
            Constrain(schema.Type?.HasFlag(JsonSchemaType.Array) == true ? schema.Items as OpenApiSchema : schema, values);
        }

        var rules = property.DeclaringType is { } declaring ? MemberRules.Of(services, declaring, ClrName(property)) : MemberRules.None;
        Limit(schema, rules);
    }

    /// <summary>
    /// Numbers are read from JSON numbers; the web defaults also take numeric strings, which a client
    /// generator would turn into an untyped field: the document names the number only.
    /// </summary>
    internal static void NumbersAsNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    internal static void Constrain(OpenApiSchema? schema, OpenApiValues values)
    {
        if (schema is null || schema.Type?.HasFlag(JsonSchemaType.String) != true)
        {
            return;
        }

        if (values.Values is { } names)
        {
            // JSON Schema checks enum and type together: where null is accepted, null is one of the values.
            var nullable = schema.Type.Value.HasFlag(JsonSchemaType.Null);
            schema.Enum = [.. names.Select(name => (JsonNode)JsonValue.Create(name)), .. nullable ? [null!] : Array.Empty<JsonNode>()];
        }

        schema.Pattern = values.Pattern ?? schema.Pattern;
    }

    internal static void Limit(OpenApiSchema schema, MemberRules rules)
    {
        var numeric = schema.Type?.HasFlag(JsonSchemaType.Integer) == true || schema.Type?.HasFlag(JsonSchemaType.Number) == true;
        if (numeric && rules.Minimum is { } minimum)
        {
            schema.Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (numeric && rules.Maximum is { } maximum)
        {
            schema.Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (schema.Type?.HasFlag(JsonSchemaType.String) == true && rules.MaxLength is { } maxLength)
        {
            schema.MaxLength = maxLength;
        }
    }

    /// <summary>
    /// Required: declared required, or demanded by the validator, or a non-nullable reference without a
    /// default. A value type left out is read as its default (false, 0), so it is not required.
    /// </summary>
    internal static bool IsRequired(JsonPropertyInfo property, IServiceProvider services) =>
        property.IsRequired
        || (property.DeclaringType is { } declaring && MemberRules.Of(services, declaring, ClrName(property)).Required)
        || (!property.PropertyType.IsValueType && !DeclaredNullable(property) && property.AssociatedParameter is not { HasDefaultValue: true });

    /// <summary>Null is accepted where the member is declared nullable and the validator does not refuse it.</summary>
    internal static bool AcceptsNull(JsonPropertyInfo property, IServiceProvider services) =>
        DeclaredNullable(property)
        && !(property.DeclaringType is { } declaring && MemberRules.Of(services, declaring, ClrName(property)).Required);

    internal static bool DeclaredNullable(JsonPropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is not null;
        }

        var nullability = new NullabilityInfoContext(); // not thread-safe: one per question
        return property.AssociatedParameter?.AttributeProvider is ParameterInfo parameter
            ? nullability.Create(parameter).WriteState != NullabilityState.NotNull
            : property.AttributeProvider switch
            {
                PropertyInfo member => nullability.Create(member).ReadState != NullabilityState.NotNull,
                FieldInfo member => nullability.Create(member).ReadState != NullabilityState.NotNull,
                _ => true,
            };
    }

    private static string ClrName(JsonPropertyInfo property) => (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
}
