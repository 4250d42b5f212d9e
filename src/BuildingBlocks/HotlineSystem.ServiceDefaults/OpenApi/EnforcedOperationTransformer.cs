using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace HotlineSystem.ServiceDefaults.OpenApi;

/// <summary>
/// Each operation as the server answers it, decided from the endpoint's metadata: the bearer
/// requirement unless it allows anonymous callers; every problem it can answer (400 always, 401/403
/// when authorized, 404 with route values, 409 when it changes state, 412/428 with
/// <see cref="ConcurrencyMetadata"/>, 413/415 with a body, 503 always); query parameters by the
/// camelCase names clients send; the declared request example.
/// </summary>
internal sealed class EnforcedOperationTransformer(IEnumerable<OpenApiValues> values, IOptions<HttpJsonOptions> json) : IOpenApiOperationTransformer
{
    private readonly List<OpenApiValues> _values = [.. values];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var authorized = !metadata.OfType<IAllowAnonymous>().Any(); // the fallback policy covers the rest
        var concurrency = metadata.OfType<ConcurrencyMetadata>().Any();
        var hasBody = operation.RequestBody is not null;

        DescribeParameters(operation, metadata, context.ApplicationServices);
        if (concurrency)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                // No pattern: any value is read, and one that is not a version of ours is stale (412), not a 400.
                Description = "The ETag of the record as last read (\"3\"; W/\"3\" and 3 are read too): "
                    + "a change to a record changed since then is refused with 412.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        var document = context.Document;
        operation.Responses ??= [];
        Problem(operation, StatusCodes.Status400BadRequest, HotlineDocumentTransformer.ValidationProblem, document);
        if (authorized)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, document)] = [] }];
            Problem(operation, StatusCodes.Status401Unauthorized, HotlineDocumentTransformer.ProblemDetails, document);
            Problem(operation, StatusCodes.Status403Forbidden, HotlineDocumentTransformer.ProblemDetails, document);
        }

        // A record named in the path, or a channel or party named in the query (another party's is not there for the caller).
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path
            || (p.Source == BindingSource.Query && p.Name.Equals("channel", StringComparison.OrdinalIgnoreCase))))
        {
            Problem(operation, StatusCodes.Status404NotFound, HotlineDocumentTransformer.ProblemDetails, document);
        }

        if (!HttpMethods.IsGet(description.HttpMethod ?? "GET"))
        {
            Problem(operation, StatusCodes.Status409Conflict, HotlineDocumentTransformer.ProblemDetails, document);
        }

        if (concurrency)
        {
            Problem(operation, StatusCodes.Status412PreconditionFailed, HotlineDocumentTransformer.ProblemDetails, document);
            Problem(operation, StatusCodes.Status428PreconditionRequired, HotlineDocumentTransformer.ProblemDetails, document);
        }

        if (hasBody)
        {
            Problem(operation, StatusCodes.Status413PayloadTooLarge, HotlineDocumentTransformer.ProblemDetails, document);
            Problem(operation, StatusCodes.Status415UnsupportedMediaType, HotlineDocumentTransformer.ProblemDetails, document);
        }

        Problem(operation, StatusCodes.Status503ServiceUnavailable, HotlineDocumentTransformer.ProblemDetails, document);
        AddExamples(operation, metadata);
        return Task.CompletedTask;
    }

    /// <summary>Query keys are read case-insensitively; the document gives the camelCase names, values and limits.</summary>
    private void DescribeParameters(OpenApiOperation operation, IList<object> metadata, IServiceProvider services)
    {
        // The [AsParameters] record bound from the query, whose validator holds the limits.
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var bundle = handler?.GetParameters().FirstOrDefault(p => p.IsDefined(typeof(AsParametersAttribute)))?.ParameterType;
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            var clrName = parameter.Name!;
            if (parameter.In == ParameterLocation.Query)
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(clrName);
            }

            if (parameter.Schema is not OpenApiSchema schema)
            {
                continue;
            }

            EnforcedSchemaTransformer.NumbersAsNumbers(schema);
            if (OpenApiValues.Find(_values, parameter.Name!, handler?.DeclaringType?.Assembly) is { } fieldValues)
            {
                EnforcedSchemaTransformer.Constrain(schema, fieldValues);
            }

            if (bundle is not null)
            {
                EnforcedSchemaTransformer.Limit(schema, MemberRules.Of(services, bundle, clrName));
            }
        }
    }

    private static void Problem(OpenApiOperation operation, int status, string schemaId, OpenApiDocument? document)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse declared ? declared : new OpenApiResponse();
        response.Description = HotlineDocumentTransformer.StatusDescriptions[status];
        response.Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schemaId, document) },
        };
        operation.Responses[key] = response;
    }

    private void AddExamples(OpenApiOperation operation, IList<object> metadata)
    {
        var examples = metadata.OfType<RequestExampleMetadata>().ToList();
        if (examples.Count == 0 || operation.RequestBody?.Content is not { } content)
        {
            return;
        }

        foreach (var mediaType in content.Values)
        {
            mediaType.Examples = examples.ToDictionary(
                e => string.Concat(e.Summary.Where(c => char.IsAsciiLetterOrDigit(c) || c == ' ')).Replace(' ', '-').ToLowerInvariant(),
                IOpenApiExample (e) => new OpenApiExample
                {
                    Summary = e.Summary,
                    Value = JsonSerializer.SerializeToNode(e.Value, e.Value.GetType(), json.Value.SerializerOptions),
                });
        }
    }
}
