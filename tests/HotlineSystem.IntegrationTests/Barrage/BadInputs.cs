using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotlineSystem.IntegrationTests.Barrage;

/// <summary>
/// One request of the barrage: what it breaks (<see cref="Class"/>), and whether the server must refuse
/// it (a 4xx) or may take it, where the document allows the value, but must never answer 5xx.
/// </summary>
public sealed record Probe(string Class, string Method, string Url, string? Body, string? ContentType, bool MustRefuse)
{
    public static Probe Json(string @class, string method, string url, string? body, bool mustRefuse = true) =>
        new(@class, method, url, body, body is null ? null : "application/json", mustRefuse);
}

/// <summary>A request the document and the sample table say is valid: route values, query, JSON body.</summary>
public sealed record ValidRequest(ApiOperation Operation, IReadOnlyDictionary<string, string> Route, IReadOnlyList<KeyValuePair<string, string>> Query, JsonNode? Body)
{
    public string Url(IReadOnlyDictionary<string, string>? route = null, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        route ??= Route;
        var path = Operation.Path;
        foreach (var (name, value) in route)
        {
            path = path.Replace($"{{{name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        var pairs = (query ?? Query).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}").ToList();
        return pairs.Count == 0 ? path : $"{path}?{string.Join('&', pairs)}";
    }

    public Probe AsProbe(string @class, bool mustRefuse = false) => Probe.Json(@class, Operation.Method, Url(), Body?.ToJsonString(), mustRefuse);
}

/// <summary>
/// Builds a valid request from the document and a small table of domain samples, then derives from it
/// every class of bad input the barrage sends: per body field, per route value, per query parameter,
/// and for the body as a whole.
/// </summary>
public sealed class BadInputs(ApiDocument document, IReadOnlyDictionary<string, JsonNode?> samples)
{
    /// <summary>A sample that says "leave this property out of the valid request".</summary>
    public static readonly JsonNode Omit = JsonValue.Create("__omit__")!;

    /// <summary>Stands for a fresh id in each request sent, so that no request is answered as a replay of another (request ids).</summary>
    public const string FreshId = "{barrage-fresh-uuid}";

    /// <summary>Stands for a fresh name in each request sent (a user name), so that no request is refused as a duplicate of another.</summary>
    public const string FreshName = "{barrage-fresh-name}";

    private const string UnknownField = "barrageUnknownField";
    private const int HugeText = 100_000;
    private const int HugeArray = 10_000;

    /// <summary>Characters no text of the domain may hold: C0 controls and DEL (not line breaks or tabs), and every bidi embedding, override and isolate.</summary>
    private static readonly (string Class, string Text)[] Hostile =
    [
        ("NUL", "\u0000"), ("SOH", "\u0001"), ("BEL", "\u0007"), ("BS", "\u0008"), ("VT", "\u000B"), ("FF", "\u000C"), ("ESC", "\u001B"), ("DEL", "\u007F"),
        ("bidi LRE", "\u202A"), ("bidi RLE", "\u202B"), ("bidi PDF", "\u202C"), ("bidi LRO", "\u202D"), ("bidi override (RLO)", "\u202E"),
        ("bidi isolate (LRI)", "\u2066"), ("bidi RLI", "\u2067"), ("bidi FSI", "\u2068"), ("bidi PDI", "\u2069"),
    ];

    /// <summary>Texts the barrage must not garble: any character is allowed in a password (NIST SP 800-63B).</summary>
    private static readonly HashSet<string> FreeText = new(StringComparer.OrdinalIgnoreCase) { "password" };

    public ValidRequest Valid(ApiOperation operation, IReadOnlyDictionary<string, string> routeValues)
    {
        var route = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in operation.ParametersIn("path"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            route[name] = routeValues.TryGetValue(name, out var value)
                ? value
                : throw new InvalidOperationException($"{operation.Key}: no route value for {{{name}}}; give the service one.");
        }

        var query = new List<KeyValuePair<string, string>>();
        foreach (var parameter in operation.ParametersIn("query"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var required = parameter.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
            if (samples.TryGetValue(name, out var sample) && sample is not null && sample != Omit)
            {
                query.Add(new(name, QueryText(sample)));
            }
            else if (required && parameter.TryGetProperty("schema", out var schema))
            {
                query.Add(new(name, QueryText(Sample(schema, name, null))));
            }
        }

        var body = operation.Body is { } bodySchema ? Sample(bodySchema, null, null) : null;
        return new ValidRequest(operation, route, query, body);
    }

    /// <summary>Every bad request derived from <paramref name="valid"/>; <paramref name="foreignRoute"/> holds the other party's records.</summary>
    public IEnumerable<Probe> From(ValidRequest valid, IReadOnlyDictionary<string, string> foreignRoute)
    {
        var operation = valid.Operation;
        foreach (var probe in RouteProbes(valid, foreignRoute))
        {
            yield return probe;
        }

        foreach (var probe in QueryProbes(valid))
        {
            yield return probe;
        }

        if (operation.Body is not { } schema || valid.Body is null)
        {
            yield break;
        }

        foreach (var probe in WholeBodyProbes(valid))
        {
            yield return probe;
        }

        foreach (var (@class, body, mustRefuse) in FieldProbes(valid.Body, schema, [], "body"))
        {
            yield return Probe.Json(@class, operation.Method, valid.Url(), body.ToJsonString(), mustRefuse);
        }
    }

    private IEnumerable<Probe> RouteProbes(ValidRequest valid, IReadOnlyDictionary<string, string> foreignRoute)
    {
        var operation = valid.Operation;
        foreach (var parameter in operation.ParametersIn("path"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
            var own = valid.Route[name];
            var values = new List<(string Class, string Value)>();
            if (foreignRoute.TryGetValue(name, out var foreign))
            {
                values.Add(("the other party's record", foreign));
            }

            if (ApiDocument.StringOf(document.Resolve(schema), "format") == "uuid")
            {
                values.Add(("unknown id", Guid.NewGuid().ToString()));
                values.Add(("not a uuid", "not-a-guid"));
            }
            else
            {
                var enumNames = EnumNames(schema);
                var (first, second) = enumNames.Count >= 2 ? (enumNames[0], enumNames[1]) : (own, own);
                values.AddRange([
                    ("unknown value", "ZZ-ZZ"), ("enum number 0", "0"), ("enum number 1", "1"), ("enum number -1", "-1"), ("enum number 5", "5"),
                    ("combination", $"{first},{second}"), ("combination with a space", $"{first}, {second}"),
                    ("long value", new string('x', 1000)),
                ]);
                // A NUL in a path is refused by Kestrel itself, with a bare 400, before any middleware of
                // ours runs (no hook changes that answer: docs/api.md, known limits); the in-memory server
                // cannot carry it at all. It is sent in query strings and bodies, where the server answers.
                values.AddRange(Hostile.Where(h => h.Text != "\u0000").Select(h => (h.Class, own[..1] + h.Text + own[1..])));
            }

            foreach (var (@class, value) in values)
            {
                var route = new Dictionary<string, string>(valid.Route) { [name] = value };
                yield return Probe.Json($"route {name}: {@class}", operation.Method, valid.Url(route), valid.Body?.ToJsonString());
            }
        }
    }

    private IEnumerable<Probe> QueryProbes(ValidRequest valid)
    {
        var operation = valid.Operation;
        foreach (var parameter in operation.ParametersIn("query"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
            var type = document.TypeOf(schema);
            var resolved = document.Resolve(schema);
            var format = ApiDocument.StringOf(resolved, "format");
            var enumNames = EnumNames(schema);
            var values = new List<(string Class, string Value, bool MustRefuse)>();

            if (enumNames.Count > 0)
            {
                values.AddRange([
                    ("enum number", "1", true), ("enum number 0", "0", true), ("unknown enum name", "Sev9", true),
                    ("combination", string.Join(',', enumNames.Take(2)), true), ("combination with a space", string.Join(", ", enumNames.Take(2)), true),
                ]);
            }
            else if (type.Main is "integer" or "number")
            {
                var minimum = ApiDocument.NumberOf(resolved, "minimum");
                values.AddRange([
                    ("not a number", "abc", true), ("negative", "-1", minimum is >= 0), ("zero", "0", minimum is > 0),
                    ("beyond its type", format == "int64" ? "9223372036854775808" : "2147483648", true), ("1e308", "1e308", type.Main == "integer"),
                ]);
                if (type.Main == "integer")
                {
                    values.Add(("a fraction", "1.5", true));
                }
            }
            else if (type.Main == "boolean")
            {
                values.Add(("not a boolean", "maybe", true));
            }
            else if (format is "date-time" or "date")
            {
                values.AddRange([
                    ("date 0001-01-01", format == "date" ? "0001-01-01" : "0001-01-01T00:00:00Z", true),
                    ("date 9999-12-31", format == "date" ? "9999-12-31" : "9999-12-31T23:59:59Z", true),
                    ("not a date", "yesterday", true),
                ]);
            }
            else if (format == "uuid")
            {
                values.Add(("not a uuid", "not-a-guid", true));
            }
            else
            {
                // A free filter value may match nothing (200, empty), but must never break the server.
                values.Add(("long value", new string('x', 1000), false));
                values.AddRange(Hostile.Select(h => (h.Class, "a" + h.Text + "b", false)));
            }

            var good = valid.Query.FirstOrDefault(p => p.Key == name).Value
                ?? QueryText(samples.TryGetValue(name, out var sample) && sample is not null && sample != Omit ? sample : Sample(schema, name, null));
            var others = valid.Query.Where(p => p.Key != name).ToList();
            foreach (var (@class, value, mustRefuse) in values)
            {
                yield return Probe.Json($"query {name}: {@class}", operation.Method, valid.Url(query: [.. others, new(name, value)]), valid.Body?.ToJsonString(), mustRefuse);
            }

            if (type.Main != "array")
            {
                yield return Probe.Json($"query {name}: repeated key", operation.Method, valid.Url(query: [.. others, new(name, good), new(name, good)]), valid.Body?.ToJsonString());
            }
        }
    }

    private static IEnumerable<Probe> WholeBodyProbes(ValidRequest valid)
    {
        var (method, url, json) = (valid.Operation.Method, valid.Url(), valid.Body!.ToJsonString());
        yield return Probe.Json("body: truncated JSON", method, url, json[..(json.Length / 2)]);
        yield return Probe.Json("body: trailing comma", method, url, json.Length > 2 ? json[..^1] + ",}" : "{,}");
        yield return Probe.Json("body: single quotes", method, url, json.Replace('"', '\''));
        yield return Probe.Json("body: not JSON", method, url, "not json at all");
        yield return Probe.Json("body: empty", method, url, "");
        yield return Probe.Json("body: null", method, url, "null");
        yield return Probe.Json("body: an array", method, url, "[]");
        yield return Probe.Json("body: a number", method, url, "42");
        yield return new Probe("body: text/plain", method, url, json, "text/plain", MustRefuse: true);
        yield return new Probe("body: form-urlencoded", method, url, "a=b&c=d", "application/x-www-form-urlencoded", MustRefuse: true);
        yield return new Probe("body: no content type", method, url, json, ContentType: null, MustRefuse: true);
        yield return new Probe("body: none", method, url, null, null, MustRefuse: true);
    }

    /// <summary>The bad values of one field and, below it, of each field it holds.</summary>
    private IEnumerable<(string Class, JsonNode Body, bool MustRefuse)> FieldProbes(JsonNode root, JsonElement schema, List<object> path, string where)
    {
        var node = At(root, path);
        var type = document.TypeOf(schema);
        var resolved = document.Resolve(schema);

        if (path.Count > 0)
        {
            foreach (var probe in ValueProbes(root, path, where, node, type, resolved, schema))
            {
                yield return probe;
            }
        }

        switch (node)
        {
            case JsonObject obj:
                {
                    var (properties, required) = document.ObjectOf(schema);
                    yield return ($"{where}: unknown field", With(root, path, n => n!.AsObject()[UnknownField] = "x"), true);
                    foreach (var (name, _) in obj.ToList())
                    {
                        if (!properties.TryGetValue(name, out var propertySchema))
                        {
                            continue;
                        }

                        var child = new List<object>(path) { name };
                        if (required.Contains(name))
                        {
                            // Where the document or the valid request allows null, leaving it out may be fine too.
                            yield return ($"{where}.{name}: missing", With(root, path, n => n!.AsObject().Remove(name)),
                            !document.TypeOf(propertySchema).Nullable && obj[name] is not null);
                        }

                        foreach (var probe in FieldProbes(root, propertySchema, child, $"{where}.{name}"))
                        {
                            yield return probe;
                        }
                    }

                    break;
                }

            case JsonArray array when document.ItemsOf(schema) is { } items:
                {
                    var itemsNullable = document.TypeOf(items).Nullable;
                    yield return ($"{where}: null element", With(root, path, n => n!.AsArray().Add(null)), !itemsNullable);
                    if (array.Count > 0)
                    {
                        var element = array[0]!.ToJsonString();
                        yield return ($"{where}: {HugeArray} elements", With(root, path, n =>
                        {
                            var huge = n!.AsArray();
                            huge.Clear();
                            for (var i = 0; i < HugeArray; i++)
                            {
                                huge.Add(JsonNode.Parse(element));
                            }
                        }), true);
                        foreach (var probe in FieldProbes(root, items, [.. path, 0], $"{where}[0]"))
                        {
                            yield return probe;
                        }
                    }

                    break;
                }
        }
    }

    private IEnumerable<(string Class, JsonNode Body, bool MustRefuse)> ValueProbes(
        JsonNode root, List<object> path, string where, JsonNode? node, SchemaType type, JsonElement resolved, JsonElement schema)
    {
        if (node is not null)
        {
            // A null the valid request already holds is not bad input, whatever the document says.
            yield return ($"{where}: null", Set(root, path, null), !type.Nullable);
        }

        // Wrong JSON types: each kind the document does not allow here.
        var kinds = new (string Kind, string[] Allowed, Func<JsonNode> Value)[]
        {
            ("a string", ["string"], () => JsonValue.Create("barrage")!),
            ("a number", ["integer", "number"], () => JsonValue.Create(12345)!),
            ("a boolean", ["boolean"], () => JsonValue.Create(true)!),
            ("an object", ["object"], () => new JsonObject()),
            ("an array", ["array"], () => new JsonArray()),
        };
        var enumNames = EnumNames(schema);
        foreach (var (kind, allowed, value) in kinds)
        {
            var allows = type.Types.Count == 0 ? enumNames.Count > 0 && allowed.Contains("string") : type.Types.Intersect(allowed).Any();
            if (!allows)
            {
                yield return ($"{where}: {kind} instead", Set(root, path, value()), true);
            }
        }

        var format = ApiDocument.StringOf(resolved, "format");
        var pattern = ApiDocument.StringOf(resolved, "pattern") ?? "";
        var name = path[^1] as string;
        if (enumNames.Count > 0)
        {
            foreach (var (@class, value) in new (string, JsonNode)[]
            {
                ("enum number as text", JsonValue.Create("1")!), ("enum number", JsonValue.Create(1)!), ("unknown enum name", JsonValue.Create("Sev9")!),
                ("combination", JsonValue.Create(string.Join(',', enumNames.Take(2)))!), ("combination with a space", JsonValue.Create(string.Join(", ", enumNames.Take(2)))!),
                ("empty", JsonValue.Create("")!),
            })
            {
                yield return ($"{where}: {@class}", Set(root, path, value), true);
            }
        }
        else if (type.Main is "integer" or "number")
        {
            var minimum = ApiDocument.NumberOf(resolved, "minimum");
            yield return ($"{where}: negative", Set(root, path, JsonValue.Create(-1)), minimum is >= 0);
            yield return ($"{where}: zero", Set(root, path, JsonValue.Create(0)), minimum is > 0);
            yield return ($"{where}: 1e308", Set(root, path, JsonNode.Parse("1e308")), type.Main == "integer");
            if (type.Main == "integer")
            {
                yield return ($"{where}: beyond its type", Set(root, path, JsonNode.Parse(format == "int64" ? "9223372036854775808" : "2147483648")), true);
                yield return ($"{where}: a fraction", Set(root, path, JsonValue.Create(1.5)), true);
            }
        }
        else if (format is "date-time" or "date")
        {
            yield return ($"{where}: date 0001-01-01", Set(root, path, JsonValue.Create(format == "date" ? "0001-01-01" : "0001-01-01T00:00:00Z")), true);
            yield return ($"{where}: date 9999-12-31", Set(root, path, JsonValue.Create(format == "date" ? "9999-12-31" : "9999-12-31T23:59:59Z")), true);
            yield return ($"{where}: not a date", Set(root, path, JsonValue.Create("yesterday")), true);
        }
        else if (pattern.Contains(@"\d{2}:\d{2}:\d{2}", StringComparison.Ordinal))
        {
            // A duration (TimeSpan): its extremes are beyond any wait, shift or window the domain knows.
            yield return ($"{where}: longest duration", Set(root, path, JsonValue.Create(TimeSpan.MaxValue.ToString("c", CultureInfo.InvariantCulture))), true);
            yield return ($"{where}: negative duration", Set(root, path, JsonValue.Create(TimeSpan.MinValue.ToString("c", CultureInfo.InvariantCulture))), true);
            yield return ($"{where}: not a duration", Set(root, path, JsonValue.Create("ten minutes")), true);
        }
        else if (type.Main == "string" && node is JsonValue text && text.TryGetValue<string>(out var good))
        {
            // Beyond what the document allows: a huge text, or one character more than a longer maximum (minutes run to 300 pages).
            var tooLong = Math.Max(HugeText, (int)(ApiDocument.NumberOf(resolved, "maxLength") ?? 0) + 1);
            yield return ($"{where}: {tooLong:N0} characters", Set(root, path, JsonValue.Create(new string('x', tooLong))), true);
            if (name is null || !FreeText.Contains(name))
            {
                foreach (var (@class, bad) in Hostile)
                {
                    yield return ($"{where}: {@class}", Set(root, path, JsonValue.Create(good.Length > 1 ? good[..1] + bad + good[1..] : good + bad)), true);
                }
            }
        }
    }

    /// <summary>A value of the schema: the table's by "Schema.property" or by name, else the enum's first, else one of its type and format.</summary>
    public JsonNode? Sample(JsonElement schema, string? name, string? owner)
    {
        if (owner is not null && name is not null && samples.TryGetValue($"{owner}.{name}", out var owned))
        {
            return owned?.DeepClone();
        }

        if (name is not null && samples.TryGetValue(name, out var named))
        {
            return named?.DeepClone();
        }

        var resolved = document.Resolve(schema);
        if (document.EnumOf(schema) is { } values && values.FirstOrDefault(v => v.ValueKind != JsonValueKind.Null) is { ValueKind: not JsonValueKind.Undefined } first)
        {
            return JsonNode.Parse(first.GetRawText());
        }

        var type = document.TypeOf(schema);
        var format = ApiDocument.StringOf(resolved, "format");
        var pattern = ApiDocument.StringOf(resolved, "pattern") ?? "";
        switch (type.Main)
        {
            case "integer":
                return JsonValue.Create(1);
            case "number":
                return JsonValue.Create(1.5);
            case "boolean":
                return JsonValue.Create(false);
            case "array":
                return document.ItemsOf(schema) is { } items ? new JsonArray(Sample(items, null, RefName(items))) : new JsonArray();
            case "string":
                return format switch
                {
                    "uuid" => JsonValue.Create(FreshId),
                    "date-time" => JsonValue.Create("2027-01-01T00:00:00Z"),
                    "date" => JsonValue.Create("2026-11-20"),
                    "email" => JsonValue.Create("barrage@example.org"),
                    _ when pattern.Contains(@"\d{2}:\d{2}:\d{2}", StringComparison.Ordinal) => JsonValue.Create("00:10:00"),
                    _ => JsonValue.Create("Barrage sample"),
                };
            default:
                var (properties, required) = document.ObjectOf(schema);
                var obj = new JsonObject();
                var ownerName = RefName(schema);
                foreach (var (property, propertySchema) in properties)
                {
                    var value = Sample(propertySchema, property, ownerName);
                    if (value is not null && value.ToJsonString() == Omit.ToJsonString())
                    {
                        continue;
                    }

                    if (required.Contains(property) || value is null || samples.ContainsKey(property) || samples.ContainsKey($"{ownerName}.{property}"))
                    {
                        obj[property] = value;
                    }
                }

                return obj;
        }
    }

    private static string? RefName(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!.Split('/')[^1] : null;

    private List<string> EnumNames(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Undefined ? [] : (document.EnumOf(schema) ?? []).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();

    private static string QueryText(JsonNode? value) =>
        value switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => value.ToJsonString(),
        };

    private static JsonNode? At(JsonNode root, IEnumerable<object> path) =>
        path.Aggregate<object, JsonNode?>(root, (node, step) => step is string name ? node![name] : node![(int)step]);

    private static JsonNode With(JsonNode root, IReadOnlyList<object> path, Action<JsonNode?> change)
    {
        var copy = root.DeepClone();
        change(At(copy, path));
        return copy;
    }

    private static JsonNode Set(JsonNode root, IReadOnlyList<object> path, JsonNode? value)
    {
        var copy = root.DeepClone();
        var parent = At(copy, path.Take(path.Count - 1))!;
        if (path[^1] is string name)
        {
            parent[name] = value;
        }
        else
        {
            parent[(int)path[^1]] = value;
        }

        return copy;
    }

    /// <summary>For the report: the body cut to a line.</summary>
    public static string Excerpt(string? text, int length = 160)
    {
        if (text is null)
        {
            return "(none)";
        }

        var flat = new StringBuilder(Math.Min(text.Length, length));
        foreach (var c in text.Take(length))
        {
            flat.Append(char.IsControl(c) || c is '\u202E' or '\u2066' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > length ? $"{flat}…({text.Length:N0} chars)" : flat.ToString();
    }
}
