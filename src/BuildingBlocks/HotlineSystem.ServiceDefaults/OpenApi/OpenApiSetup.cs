using Microsoft.Extensions.DependencyInjection;

using HotlineSystem.ServiceDefaults.OpenApi;

namespace HotlineSystem.ServiceDefaults;

/// <summary>
/// The OpenAPI document every service serves at /openapi/v1.json, told what the server enforces and
/// answers: read from the endpoints' metadata, the request records and their validators, not written per endpoint.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddHotlineOpenApi(this IServiceCollection services)
    {
        foreach (var values in OpenApiValues.Shared())
        {
            services.AddSingleton(values);
        }

        return services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<EnforcedSchemaTransformer>();
            options.AddOperationTransformer<EnforcedOperationTransformer>();
            options.AddDocumentTransformer<HotlineDocumentTransformer>();
        });
    }

    /// <summary>
    /// Values a field of this name takes in the records and endpoints of <typeparamref name="TService"/>'s
    /// assembly (e.g. the incident types of the catalogue), where they are fixed in code.
    /// </summary>
    public static IServiceCollection AddOpenApiValues<TService>(this IServiceCollection services, string field, IEnumerable<string> values) =>
        services.AddSingleton(new OpenApiValues(field, Values: [.. values], Pattern: null, Scope: typeof(TService).Assembly));

    /// <summary>What a tag of the document groups, in the domain's words.</summary>
    public static IServiceCollection AddOpenApiTag(this IServiceCollection services, string name, string description) =>
        services.AddSingleton(new OpenApiTagDescription(name, description));
}

/// <summary>The description of a tag (WithTags) in the OpenAPI document.</summary>
public sealed record OpenApiTagDescription(string Name, string Description);

/// <summary>
/// What the server accepts in a field (a body property or a parameter) of that camelCase name: a fixed
/// list of names, or, for codes that are data (parties, channels), only their shape.
/// </summary>
public sealed record OpenApiValues(string Field, IReadOnlyList<string>? Values, string? Pattern, System.Reflection.Assembly? Scope = null)
{
    public const string PartyPattern = "^[A-Z]{2}$";
    public const string ChannelPattern = "^[A-Z]{2}-[A-Z]{2}$";

    private static readonly OpenApiValues AnyParty = new("*Party", null, PartyPattern);

    internal static OpenApiValues[] Shared() =>
    [
        new("channel", null, ChannelPattern),
        new("party", null, PartyPattern),
        new("counterpart", null, PartyPattern),
        new("role", Identity.HotlineRoles.All, null),
        new("roles", Identity.HotlineRoles.All, null),
        new("officialTier", Identity.OfficialTiers.All, null),
    ];

    /// <summary>
    /// The values of a field named so in a record or endpoint of <paramref name="where"/>: the service's
    /// own list before the shared one (a delegate's "role" is not a person's); every "…Party" is a party code.
    /// </summary>
    internal static OpenApiValues? Find(IEnumerable<OpenApiValues> all, string field, System.Reflection.Assembly? where) =>
        all.Where(v => v.Field == field).OrderBy(v => v.Scope is null).FirstOrDefault(v => v.Scope is null || v.Scope == where)
        ?? (field.EndsWith("Party", StringComparison.Ordinal) ? AnyParty : null);
}
