using Microsoft.AspNetCore.Builder;

namespace HotlineSystem.ServiceDefaults;

/// <summary>Marks an endpoint that changes a versioned record only with If-Match (412 when stale, 428 when missing).</summary>
public sealed class ConcurrencyMetadata;

/// <summary>An example of the endpoint's request body, shown in its OpenAPI operation.</summary>
public sealed record RequestExampleMetadata(string Summary, object Value);

public static class OpenApiEndpointExtensions
{
    /// <summary>The endpoint demands If-Match with the ETag last read: the document declares the header and 412/428.</summary>
    public static TBuilder WithConcurrency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ConcurrencyMetadata());

    /// <summary>An example request body for the document (serialized with the service's JSON options).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string summary, object value) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExampleMetadata(summary, value));
}
