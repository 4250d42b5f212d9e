using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.ServiceDefaults;

/// <summary>Runs the FluentValidation validator of an endpoint's request and answers 400 problem details.</summary>
public sealed class ValidationFilter<TRequest> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return Problems.Validation("$", "body-required", "A request body is required.");
        }

        // Null elements and characters nobody types first: the validator's rules would meet a null element as an object.
        if (RequestContents.In(request) is { Count: > 0 } nulls)
        {
            return Problems.Validation(nulls);
        }

        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>();
        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        return result.IsValid ? await next(context) : Problems.Validation(result.Errors.Select(ToFieldError));
    }

    public static FieldError ToFieldError(ValidationFailure failure) =>
        new(FieldPaths.Of(failure.PropertyName), StableCode(failure.ErrorCode), failure.ErrorMessage);


    /// <summary>FluentValidation's built-in codes become short, stable kebab-case codes; codes set with WithErrorCode pass through.</summary>
    private static string StableCode(string errorCode) => errorCode switch
    {
        "NotEmptyValidator" or "NotNullValidator" => "required",
        "MaximumLengthValidator" => "too-long",
        "MinimumLengthValidator" => "too-short",
        "LengthValidator" => "invalid-length",
        "EnumValidator" or "StringEnumValidator" => "invalid-value",
        "GreaterThanOrEqualValidator" or "GreaterThanValidator" => "too-small",
        "LessThanOrEqualValidator" or "LessThanValidator" => "too-large",
        "InclusiveBetweenValidator" or "ExclusiveBetweenValidator" => "out-of-range",
        "RegularExpressionValidator" => "invalid-format",
        _ => errorCode,
    };
}

public static class FieldPaths
{
    /// <summary>"Minerals[0]" → "minerals[0]", "Quantity.Tonnes" → "quantity.tonnes": the names the client sent.</summary>
    public static string Of(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}

public static class ValidationFilterExtensions
{
    /// <summary>Validates the endpoint's <typeparamref name="TRequest"/> with its FluentValidation validator.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>()
            .ProducesValidationProblem();
}
