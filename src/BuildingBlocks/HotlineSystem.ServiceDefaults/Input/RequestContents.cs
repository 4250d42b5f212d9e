using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>
/// What no field of any request may hold, found by reading the request's own properties so that
/// every request is covered, each answered 400 naming the field: a null inside a list ("tiers":
/// [null]), which no type annotation refuses and a validator's rules for each element would trip
/// over (<c>null-element</c>, "tiers[1]"); and in any text, characters nobody types: controls other
/// than tab and line breaks (a NUL, which PostgreSQL cannot even store), and Unicode's directional
/// overrides and isolates (<c>invalid-characters</c>). Whether a field may hold line breaks is
/// that field's rule (<see cref="PlainTextRule"/>).
/// </summary>
public static class RequestContents
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static List<FieldError> In(object request)
    {
        var errors = new List<FieldError>();
        Visit(request, "", errors, depth: 0);
        return errors;
    }

    private static void Visit(object value, string path, List<FieldError> errors, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(value.GetType(), PropertiesOf))
        {
            var field = path.Length == 0 ? FieldPaths.Of(property.Name) : $"{path}.{FieldPaths.Of(property.Name)}";
            switch (property.GetValue(value))
            {
                case null:
                    break;
                case string text:
                    CheckText(text, field, errors);
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (entry.Value is null)
                        {
                            errors.Add(Error($"{field}.{entry.Key}"));
                        }
                    }

                    break;
                case IEnumerable list:
                    var index = 0;
                    foreach (var element in list)
                    {
                        if (element is null)
                        {
                            errors.Add(Error($"{field}[{index}]"));
                        }
                        else if (element is string text)
                        {
                            CheckText(text, $"{field}[{index}]", errors);
                        }
                        else if (IsRequestType(element.GetType()))
                        {
                            Visit(element, $"{field}[{index}]", errors, depth + 1);
                        }

                        index++;
                    }

                    break;
                case var nested when IsRequestType(nested.GetType()):
                    Visit(nested, field, errors, depth + 1);
                    break;
            }
        }
    }

    private static void CheckText(string text, string field, List<FieldError> errors)
    {
        if (text.Any(PlainTextRule.IsNeverTyped))
        {
            errors.Add(new FieldError(field, "invalid-characters", $"'{field}' contains a control character or a directional override."));
        }
    }

    private static FieldError Error(string field) => new(field, "null-element", $"'{field}' is null: leave it out of the list instead.");

    private static bool IsRequestType(Type type) => type is { IsClass: true } && type.Namespace?.StartsWith("HotlineSystem", StringComparison.Ordinal) == true;

    private static PropertyInfo[] PropertiesOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0)];
}
