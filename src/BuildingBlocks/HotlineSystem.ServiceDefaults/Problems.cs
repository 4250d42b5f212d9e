using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HotlineSystem.ServiceDefaults;

/// <summary>One field's complaint in a 400 problem: the JSON field path, a stable code, and words for people.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>
/// RFC 9457 problem details with a stable "code" extension that clients can switch on.
/// Every error the services return is built here, so codes and shapes stay one family.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://hotline.example/problems/";

    public static ProblemHttpResult Validation(IEnumerable<FieldError> errors) =>
        Create(StatusCodes.Status400BadRequest, "validation-failed", "The request is not valid.",
            "One or more fields are not valid; see errors.", ("errors", errors.ToList()));

    public static ProblemHttpResult Validation(string field, string code, string message) =>
        Validation([new FieldError(field, code, message)]);

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found.", $"No {what} with that identifier is visible to you.");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Create(StatusCodes.Status409Conflict, code, "The request conflicts with the current state.", detail);

    public static ProblemHttpResult Forbidden(string code, string detail) =>
        Create(StatusCodes.Status403Forbidden, code, "Not allowed.", detail);

    public static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        Create(StatusCodes.Status412PreconditionFailed, "stale-version", "The record has changed since you read it.",
            "Someone else changed this record after you read it. Reload it and apply your change again.", ("currentVersion", currentVersion));

    public static ProblemHttpResult PreconditionRequired() =>
        Create(StatusCodes.Status428PreconditionRequired, "if-match-required", "An If-Match header is required.",
            "Send the ETag you last read in an If-Match header, so that a stale change cannot overwrite a newer one.");

    /// <summary>
    /// Problems that ASP.NET Core writes itself through status code pages (401, 403, 405, 415 of a
    /// non-JSON body, 413 of a chunked body over the limit) get a stable code as ours have.
    /// </summary>
    public static void AddMissingCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var code = status switch
        {
            StatusCodes.Status401Unauthorized => "unauthenticated",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status413PayloadTooLarge => "body-too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            >= 500 => "internal-error",
            _ => "bad-request",
        };
        problem.Type = TypeBase + code;
        problem.Extensions["code"] = code;
    }

    public static ProblemHttpResult Create(int status, string code, string title, string detail, params (string Key, object? Value)[] extensions)
    {
        var problem = new ProblemDetails
        {
            Type = TypeBase + code,
            Title = title,
            Status = status,
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }
}
