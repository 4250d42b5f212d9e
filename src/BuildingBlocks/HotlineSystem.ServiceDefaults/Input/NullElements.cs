using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>
/// Finds a null inside a list of a request ("tiers": [null]), which no type annotation refuses and
/// which a validator's rules for each element would trip over. Read from the request's own
/// properties, so every request is covered; each is answered 400 naming the element ("tiers[1]").
/// </summary>
public static class NullElements
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
                case null or string:
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

    private static FieldError Error(string field) => new(field, "null-element", $"'{field}' is null: leave it out of the list instead.");

    private static bool IsRequestType(Type type) => type is { IsClass: true } && type.Namespace?.StartsWith("HotlineSystem", StringComparison.Ordinal) == true;

    private static PropertyInfo[] PropertiesOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0)];
}
