using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>
/// Checks the values of an endpoint's route and query parameters before they are bound, because
/// binding is lenient where the domain is not: an enum binds from a number or a combination
/// (<see cref="EnumNames"/>), a date from any year, and a repeated key of a single-valued
/// parameter silently; and no value may hold a control character or a directional override. Read from the handler's own parameters (and [AsParameters] records), so a
/// new endpoint is covered without a line here. A refusal is a 400 naming the parameter.
/// </summary>
public sealed class RouteAndQueryValues(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, Slot[]> Shapes = new();

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return next(context);
        }

        var errors = new List<FieldError>();
        foreach (var slot in Shapes.GetOrAdd(endpoint, _ => SlotsOf(endpoint, handler)))
        {
            var values = slot.FromRoute
                ? new StringValues(context.Request.RouteValues.TryGetValue(slot.Name, out var raw) ? Convert.ToString(raw, CultureInfo.InvariantCulture) : null)
                : context.Request.Query[slot.Name];
            if (!slot.FromRoute && !slot.Many && values.Count > 1)
            {
                errors.Add(new FieldError(slot.Field, "single-value", $"Give '{slot.Field}' once."));
                continue;
            }

            foreach (var value in values)
            {
                if (Problem(slot, value) is { } error)
                {
                    errors.Add(error);
                    break;
                }
            }
        }

        return errors.Count == 0 ? next(context) : Problems.Validation(errors).ExecuteAsync(context);
    }

    private static FieldError? Problem(Slot slot, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Any(PlainTextRule.IsNeverTyped))
        {
            return new FieldError(slot.Field, "invalid-characters", $"'{slot.Field}' contains a control character or a directional override.");
        }

        if (slot.Type.IsEnum)
        {
            return EnumNames.TryParse(slot.Type, value, out _)
                ? null
                : new FieldError(slot.Field, "invalid-value", $"'{slot.Field}' is one of: {EnumNames.Listed(slot.Type)}.");
        }

        if (slot.Type == typeof(DateTime))
        {
            return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock) && !DomainDates.Contains(wallClock)
                ? new FieldError(slot.Field, "out-of-range", DomainDates.OutOfRange)
                : null;
        }

        if (slot.Type == typeof(DateTimeOffset))
        {
            // What does not parse at all is the binder's to refuse (400 invalid-value); here only the range.
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && !DomainDates.Contains(moment)
                ? new FieldError(slot.Field, "out-of-range", DomainDates.OutOfRange)
                : null;
        }

        if (slot.Type == typeof(DateOnly))
        {
            return DateOnly.TryParse(value, CultureInfo.InvariantCulture, out var day) && !DomainDates.Contains(day)
                ? new FieldError(slot.Field, "out-of-range", DomainDates.OutOfRange)
                : null;
        }

        return null;
    }

    private static Slot[] SlotsOf(RouteEndpoint endpoint, MethodInfo handler)
    {
        var slots = new List<Slot>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var constructor = parameter.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length);
                foreach (var member in constructor?.GetParameters() ?? [])
                {
                    AddSlot(member, slots, endpoint);
                }

                continue;
            }

            AddSlot(parameter, slots, endpoint);
        }

        return [.. slots];
    }

    private static void AddSlot(ParameterInfo parameter, List<Slot> slots, RouteEndpoint endpoint)
    {
        if (parameter.Name is not { } name
            || parameter.GetCustomAttribute<FromBodyAttribute>() is not null
            || parameter.GetCustomAttribute<FromServicesAttribute>() is not null
            || parameter.GetCustomAttribute<FromHeaderAttribute>() is not null)
        {
            return;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var many = false;
        if (type.IsArray)
        {
            (type, many) = (type.GetElementType()!, true);
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var checkedType = type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly);
        var simple = checkedType || type.IsPrimitive || type == typeof(string) || type == typeof(Guid) || type == typeof(decimal);
        if (!simple)
        {
            return; // a body, a service or the context
        }

        var key = parameter.GetCustomAttribute<FromQueryAttribute>()?.Name
            ?? parameter.GetCustomAttribute<FromRouteAttribute>()?.Name
            ?? name;
        var fromRoute = endpoint.RoutePattern.GetParameter(key) is not null;
        if (checkedType || fromRoute || !many || type == typeof(string))
        {
            slots.Add(new Slot(key, FieldPaths.Of(key), type, fromRoute, many));
        }
    }

    private sealed record Slot(string Name, string Field, Type Type, bool FromRoute, bool Many);
}
