using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HotlineSystem.ServiceDefaults.OpenApi;

/// <summary>
/// What every document shares: the bearer scheme (access tokens of the Identity service), and the
/// problem details the server sends (<see cref="Problems"/>): one ProblemDetails and one ValidationProblem.
/// </summary>
internal sealed class HotlineDocumentTransformer(IEnumerable<OpenApiTagDescription> tags) : IOpenApiDocumentTransformer
{
    public const string ProblemDetails = "ProblemDetails";
    public const string ValidationProblem = "ValidationProblem";
    public const string FieldError = "FieldError";

    public static readonly IReadOnlyDictionary<int, string> StatusDescriptions = new Dictionary<int, string>
    {
        [StatusCodes.Status400BadRequest] = "The request is not valid: errors names each field, with a stable code.",
        [StatusCodes.Status401Unauthorized] = "No valid access token (Authorization: Bearer) was sent.",
        [StatusCodes.Status403Forbidden] = "The token does not allow this: wrong audience or role, or another party's records.",
        [StatusCodes.Status404NotFound] = "No such record is visible to the caller.",
        [StatusCodes.Status409Conflict] = "A rule of the domain refuses the change in the record's current state (see code).",
        [StatusCodes.Status412PreconditionFailed] = "The record has changed since the ETag sent in If-Match (currentVersion says to what).",
        [StatusCodes.Status413PayloadTooLarge] = "The request body is too large.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not application/json.",
        [StatusCodes.Status428PreconditionRequired] = "If-Match with the ETag last read is required.",
        [StatusCodes.Status503ServiceUnavailable] = "Overloaded or the database is unavailable: nothing was recorded; retry after Retry-After seconds.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Description ??= "Rare-earth supply hotline API. Access tokens come from the Identity service "
            + "(OpenID Connect: /connect/authorize with PKCE, or /connect/token for tool clients), one audience per API.";
        document.Info.License ??= new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://hotline.example/licence") };

        // The host that served the document (OpenAPI's default), not the address this process saw:
        // behind a proxy that is not what clients reach.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host that serves this document." }];

        var descriptions = tags.ToDictionary(t => t.Name, t => t.Description);
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= descriptions.GetValueOrDefault(tag.Name ?? "");
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OpenApiSetup.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An OpenIddict access token (signed JWT) of the Identity service, for this API's audience.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        schemas.Remove("HttpValidationProblemDetails"); // ASP.NET's map of strings: not what the server sends
        schemas[ProblemDetails] = Problem(validation: false, document);
        schemas[ValidationProblem] = Problem(validation: true, document);
        schemas[FieldError] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One field's complaint: the JSON path of the field as sent, a stable code, and words for people.",
            Required = new HashSet<string> { "field", "code", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["field"] = Text("The field as the client sent it: \"minerals[2]\", \"tiers[0].wait\", or \"$\" for the whole body."),
                ["code"] = Text("A stable code (required, too-long, invalid-value, unknown-mineral ...)."),
                ["message"] = Text("Words for people, in English."),
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>RFC 9457 problem details with the stable "code" extension, as <see cref="Problems"/> builds them.</summary>
    private static OpenApiSchema Problem(bool validation, OpenApiDocument document)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation
                ? "A 400: problem details whose errors list every field that is not valid."
                : "RFC 9457 problem details; code is stable, for clients to switch on.",
            Required = validation ? new HashSet<string> { "type", "title", "status", "code", "errors" } : new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("https://hotline.example/problems/{code}"),
                ["title"] = Text("A short summary of the kind of problem."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
                ["detail"] = Text("What went wrong in this request."),
                ["code"] = Text("A stable code: validation-failed, not-found, stale-version, if-match-required, overloaded ..."),
                ["currentVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "412 only: the record's version now." },
            },
        };
        if (validation)
        {
            schema.Properties["errors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(FieldError, document) };
            schema.Properties.Remove("currentVersion");
            schema.Examples = [new JsonObject
            {
                ["type"] = Problems.TypeBase + "validation-failed",
                ["title"] = "The request is not valid.",
                ["status"] = 400,
                ["detail"] = "One or more fields are not valid; see errors.",
                ["code"] = "validation-failed",
                ["errors"] = new JsonArray(new JsonObject { ["field"] = "minerals[0]", ["code"] = "unknown-mineral", ["message"] = "'Xx' is not one of the 17 rare earths (use the symbol, e.g. \"Nd\")." }),
            }];
        }

        return schema;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
