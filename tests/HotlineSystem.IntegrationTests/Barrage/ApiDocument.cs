using System.Text.Json;

namespace HotlineSystem.IntegrationTests.Barrage;

/// <summary>
/// A service's OpenAPI document as served, read with plain System.Text.Json so that the barrage keeps
/// working as the document improves (3.0 or 3.1, nullable written either way, schemas inline or by $ref).
/// </summary>
public sealed class ApiDocument(JsonElement root)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public IReadOnlyList<ApiOperation> Operations { get; } = ReadOperations(root);

    /// <summary>Follows a local "$ref" ("#/components/schemas/X") until a schema that is not one.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            if (hops > 32)
            {
                throw new InvalidOperationException($"A cycle of $ref at {reference}");
            }

            schema = reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(root, (node, name) => node.GetProperty(name.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        }

        return schema;
    }

    /// <summary>The JSON types a schema allows (the first of allOf/oneOf/anyOf where it composes), and whether null is one.</summary>
    public SchemaType TypeOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return new SchemaType([], Nullable: true);
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            types.AddRange(type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!]);
        }

        foreach (var composition in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(composition, out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                {
                    var inner = TypeOf(part);
                    types.AddRange(inner.Types);
                    nullable |= inner.Nullable;
                }
            }
        }

        nullable |= types.Remove("null");
        if (EnumOf(schema) is { } values && values.Any(v => v.ValueKind == JsonValueKind.Null))
        {
            nullable = true;
        }

        return new SchemaType(types.Distinct().ToList(), nullable);
    }

    /// <summary>The values of an "enum", looking through compositions; null when the schema has none.</summary>
    public IReadOnlyList<JsonElement>? EnumOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            return values.EnumerateArray().ToList();
        }

        foreach (var composition in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(composition, out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                {
                    if (EnumOf(part) is { } inner && inner.Any(v => v.ValueKind != JsonValueKind.Null))
                    {
                        return inner;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The object schema's properties (merged through allOf) and the names it requires.</summary>
    public (IReadOnlyDictionary<string, JsonElement> Properties, IReadOnlySet<string> Required) ObjectOf(JsonElement schema)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var required = new HashSet<string>(StringComparer.Ordinal);
        Collect(Resolve(schema));
        return (properties, required);

        void Collect(JsonElement s)
        {
            if (s.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (s.TryGetProperty("properties", out var props))
            {
                foreach (var p in props.EnumerateObject())
                {
                    properties.TryAdd(p.Name, p.Value);
                }
            }

            if (s.TryGetProperty("required", out var req))
            {
                required.UnionWith(req.EnumerateArray().Select(r => r.GetString()!));
            }

            foreach (var composition in new[] { "allOf", "oneOf", "anyOf" })
            {
                if (s.TryGetProperty(composition, out var parts))
                {
                    foreach (var part in parts.EnumerateArray())
                    {
                        Collect(Resolve(part));
                    }
                }
            }
        }
    }

    public JsonElement? ItemsOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("items", out var items))
        {
            return items;
        }

        foreach (var composition in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(composition, out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                {
                    if (ItemsOf(part) is { } inner)
                    {
                        return inner;
                    }
                }
            }
        }

        return null;
    }

    public static string? StringOf(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double? NumberOf(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static List<ApiOperation> ReadOperations(JsonElement root)
    {
        var operations = new List<ApiOperation>();
        if (!root.TryGetProperty("paths", out var paths))
        {
            return operations;
        }

        foreach (var path in paths.EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                {
                    continue;
                }

                var parameters = shared.Concat(operation.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : []).ToList();
                JsonElement? body = null;
                var bodyRequired = false;
                if (operation.TryGetProperty("requestBody", out var requestBody))
                {
                    bodyRequired = requestBody.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
                    if (requestBody.TryGetProperty("content", out var content))
                    {
                        foreach (var media in content.EnumerateObject())
                        {
                            if (media.Name.Contains("json", StringComparison.OrdinalIgnoreCase) && media.Value.TryGetProperty("schema", out var schema))
                            {
                                body = schema;
                                break;
                            }
                        }
                    }
                }

                var responses = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
                if (operation.TryGetProperty("responses", out var answers))
                {
                    foreach (var answer in answers.EnumerateObject())
                    {
                        JsonElement? schema = null;
                        if (answer.Value.TryGetProperty("content", out var content))
                        {
                            foreach (var media in content.EnumerateObject())
                            {
                                if (media.Value.TryGetProperty("schema", out var s))
                                {
                                    schema = s;
                                    break;
                                }
                            }
                        }

                        responses[answer.Name] = schema;
                    }
                }

                operations.Add(new ApiOperation(method.ToUpperInvariant(), path.Name, parameters, body, bodyRequired, responses));
            }
        }

        return operations;
    }
}

/// <summary>One operation: "PUT /api/escalation-policies/{channel}/{severity}", its parameters, its JSON body and its documented answers.</summary>
public sealed record ApiOperation(
    string Method, string Path, IReadOnlyList<JsonElement> Parameters, JsonElement? Body, bool BodyRequired, IReadOnlyDictionary<string, JsonElement?> Responses)
{
    public string Key => $"{Method} {Path}";

    public IEnumerable<JsonElement> ParametersIn(string location) =>
        Parameters.Where(p => p.TryGetProperty("in", out var @in) && @in.GetString() == location);
}

public sealed record SchemaType(IReadOnlyList<string> Types, bool Nullable)
{
    /// <summary>The JSON type a value of this schema is written as: the first listed, "object" when unsaid.</summary>
    public string Main => Types.FirstOrDefault(t => t != "string") is { } other && Types.Contains("string") && other is "integer" or "number"
        ? other // .NET writes numbers as ["integer", "string"] when it also reads them from strings
        : Types.FirstOrDefault() ?? "object";
}
