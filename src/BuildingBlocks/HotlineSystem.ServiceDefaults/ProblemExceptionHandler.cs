using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotlineSystem.BuildingBlocks;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.ServiceDefaults;

/// <summary>
/// Turns what escapes an endpoint into problem details: unreadable requests into 400/413/415 naming
/// the field, a database that cannot be reached into 503 (nothing was written: each change is one
/// transaction), and anything else into a 500 that reveals nothing.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            RuleViolation { Kind: RuleViolationKind.Forbidden } rule => Problems.Forbidden(rule.Code, rule.Message),
            RuleViolation rule => Problems.Conflict(rule.Code, rule.Message),
            // The form reader's limits (fields, key and value lengths), met wherever the form is read: OpenIddict's token endpoint too.
            InvalidDataException when httpContext.Request.HasFormContentType => Problems.Create(StatusCodes.Status400BadRequest, "invalid-form",
                "The form is not valid.", "The form post is malformed: too many fields, or a field name or value too long."),
            _ when TransientFaults.IsTransient(exception) => DatabaseUnavailable(httpContext, exception),
            _ => Unexpected(exception),
        };

        await result.ExecuteAsync(httpContext);
        return true;
    }

    private IResult FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = JsonPathToField(json.Path);
            var malformed = json.InnerException?.GetType().Name == "JsonReaderException" || field == "$";
            // System.Text.Json tells an unknown property (JsonUnmappedMemberHandling.Disallow) and a null where the
            // type has none (RespectNullableAnnotations) only by their messages; a date out of range by ours.
            var unknown = json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);
            var nullGiven = json.Message.Contains("doesn't allow null values", StringComparison.Ordinal);
            var outOfRange = json.Message.StartsWith(DomainDates.OutOfRange, StringComparison.Ordinal);
            return malformed ? Problems.Validation(field, "malformed-json", "The body is not well-formed JSON.")
                : unknown ? Problems.Validation(field, "unknown-field", $"'{field}' is not a field of this request.")
                : nullGiven ? Problems.Validation(field, "required", $"'{field}' may not be null.")
                : outOfRange ? Problems.Validation(field, "out-of-range", DomainDates.OutOfRange)
                : Problems.Validation(field, "invalid-value", $"The value of '{field}' has the wrong type or is not one of the allowed values.");
        }

        return exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => Problems.Create(413, "body-too-large", "The request body is too large.",
                "The request body exceeds the size this endpoint accepts."),
            StatusCodes.Status415UnsupportedMediaType => Problems.Create(415, "unsupported-media-type", "Unsupported media type.",
                "Send the body as application/json."),
            _ when BindFailure().Match(exception.Message) is { Success: true } match =>
                BindFailed(FieldPaths.Of(match.Groups["name"].Value), match.Groups["value"].Value),
            _ when exception.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) =>
                Problems.Validation("$", "body-required", "A request body is required."),
            _ => Problems.Create(exception.StatusCode, "bad-request", "The request could not be read.", "The request could not be read."),
        };
    }

    // [AsParameters] reports the property name ("Severity"); the client sent the query key ("severity").
    private static IResult BindFailed(string field, string value) =>
        Problems.Validation(field, "invalid-value", $"'{value}' is not a valid value for '{field}'.");

    private IResult DatabaseUnavailable(HttpContext httpContext, Exception exception)
    {
        logger.LogWarning(exception, "Database unavailable while handling {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "5";
        return Problems.Create(StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The service is temporarily unavailable.",
            "The database cannot be reached. Nothing was recorded; send the same request again shortly (with the same request id).");
    }

    private IResult Unexpected(Exception exception)
    {
        logger.LogError(exception, "Unhandled exception");
        return Problems.Create(StatusCodes.Status500InternalServerError, "internal-error", "An unexpected error occurred.",
            "The error was logged. Nothing in your request caused it.");
    }

    /// <summary>"$.minerals[2]" → "minerals[2]", "$" → "$".</summary>
    public static string JsonPathToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]*?)\s(?<name>\w+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex BindFailure();
}
