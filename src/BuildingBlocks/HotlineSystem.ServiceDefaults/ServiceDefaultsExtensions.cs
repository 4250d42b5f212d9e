using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using FluentValidation;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenIddict.Validation.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HotlineSystem.ServiceDefaults;

/// <summary>What every service host has: telemetry, health, problem details, JSON, validation, authentication.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Request bodies above this are refused with 413 (attachments will get their own, larger limit).</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddOpenTelemetry();

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.AddMissingCode);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // What a body may say, once for every endpoint (docs/api.md): enums by name only, dates the
            // domain can mean, no field the request does not have, and no null where the type has none.
            options.SerializerOptions.Converters.Add(new EnumNamesConverter());
            options.SerializerOptions.Converters.Add(new DomainDateTimeOffsetConverter());
            options.SerializerOptions.Converters.Add(new DomainDateTimeConverter());
            options.SerializerOptions.Converters.Add(new DomainDateOnlyConverter());
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.RespectNullableAnnotations = true;
            // ASP.NET Core writes <, > and & unescaped by default (UnsafeRelaxedJsonEscaping): texts are
            // untrusted, so escape what HTML would act on, while Korean and Chinese stay readable.
            options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        builder.Services.AddHotlineOpenApi();
        builder.AddOverloadProtection();

        builder.AddAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>Registers the FluentValidation validators of a service's assembly.</summary>
    public static IServiceCollection AddValidatorsOf<T>(this IServiceCollection services)
    {
        ValidatorOptions.Global.LanguageManager.Enabled = false; // messages in English; clients translate by code
        // Validators hold rules, not state, and depend only on singletons (catalogue, clock): built
        // once instead of on every request, which the benchmark showed on the filing path.
        return services.AddValidatorsFromAssemblyContaining<T>(ServiceLifetime.Singleton, includeInternalTypes: true);
    }

    /// <summary>Middleware and endpoints every service has; call before mapping the service's own endpoints.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Texts are data: no browser may sniff a JSON answer into something it renders.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>(MaxRequestBodyBytes);
        app.UseRateLimiter(); // before authentication: a refusal should cost next to nothing
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RouteAndQueryValues>(); // after authorization: a stranger learns nothing from a 400

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous()
            .DisableRateLimiting(); // an overloaded process is alive, and ready if its database answers
        // Ready means "can take requests": the database is needed, the broker is not (the outbox holds
        // events while it is away), so the bus has a check of its own for operators.
        // A paused consumer (waiting out an outage) makes it Degraded, still 200: the answer says which queue, since when, and why.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready") && !check.Tags.Contains("masstransit"),
            ResponseWriter = HealthAnswer.WriteAsync,
        }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/bus", new HealthCheckOptions { Predicate = check => check.Tags.Contains("masstransit") }).AllowAnonymous()
            .DisableRateLimiting();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    private static void AddAuthentication(this IHostApplicationBuilder builder)
    {
        // Every service accepts only access tokens of the Identity service (OpenID Connect, issue 3):
        // issuer, audience, lifetime and signature checked by OpenIddict's validation handler.
        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        var authority = builder.Configuration["Identity:Authority"];
        builder.Services.AddOpenIddict().AddValidation(validation =>
        {
            if (string.IsNullOrWhiteSpace(authority))
            {
                // Embedded mode: the server runs in this same process (AddIdentityService); its issuer and
                // keys are read directly. Each service's policies still demand the service's own audience.
                validation.UseLocalServer();
            }
            else
            {
                var audience = builder.Configuration["Identity:Audience"]
                    ?? throw new InvalidOperationException("Identity:Audience must be set when Identity:Authority is: each API is its own audience.");
                validation.SetIssuer(authority);
                validation.AddAudiences(audience);
                validation.UseSystemNetHttp();
            }

            // Tokens are issued by another process on the wall clock: check their lifetime by the wall
            // clock too, not by the service's injected TimeProvider (which tests move to fire deadlines).
            validation.Configure(options => options.TimeProvider = TimeProvider.System);

            // Only the Authorization header: a token in a query string ends up in logs and browser
            // history, and reading every form post for one is work (and a way to fail) for nothing.
            validation.UseAspNetCore()
                .DisableAccessTokenExtractionFromBodyForm()
                .DisableAccessTokenExtractionFromQueryString();
        });
    }

    private static void AddOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(HotlineSystem.BuildingBlocks.Messaging.MessagingMetrics.MeterName));

        // Traces only when a collector takes them: recording spans of every request and message for
        // nobody cost CPU on the hot path (docs/benchmarks.md, notifications).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource("MassTransit")
                    .AddSource(HotlineSystem.BuildingBlocks.Messaging.OutboxTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }
    }
}
