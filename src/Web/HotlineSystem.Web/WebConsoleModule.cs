using System.Globalization;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Components;
using HotlineSystem.Web.Live;
using HotlineSystem.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;

namespace HotlineSystem.Web;

/// <summary>The officers' web console, composed into a host at its root (the all-in-one host, or its own).</summary>
public static class WebConsoleModule
{
    /// <summary>The console's languages: the first is the fallback.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "ko", "zh-Hans"];

    public static IHostApplicationBuilder AddWebConsole(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ConsoleSettings.Section).Get<ConsoleSettings>() ?? new ConsoleSettings();
        builder.Services.Configure<ConsoleSettings>(builder.Configuration.GetSection(ConsoleSettings.Section));

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddConsoleAuthentication(settings);
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Languages.Select(language => new CultureInfo(language)).ToList();
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
        // The request's language is set first, before authentication: a sign-in challenge sends it to the Identity service (ui_locales).
        builder.Services.AddTransient<IStartupFilter, LanguageFirst>();
        builder.Services.AddMudServices();
        builder.Services.AddHttpClient(HotlineApi.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));

        builder.Services.AddScoped<ConsoleUser>();
        builder.Services.AddScoped<HotlineApi>();
        builder.Services.AddScoped<AdministrationApi>();
        builder.Services.AddScoped<ConsoleLine>();
        return builder;
    }

    /// <summary>The console's middleware and endpoints; call after the service defaults (authentication first).</summary>
    public static WebApplication UseWebConsole(this WebApplication app)
    {
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(ConsoleAuthentication.Policy);
        app.MapConsoleSignIn();
        return app;
    }

    private sealed class LanguageFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRequestLocalization();
            next(app);
        };
    }

    private static void MapConsoleSignIn(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").ExcludeFromDescription();

        // fresh=true: sign in again, second factor and all, though the session lasts (signing minutes needs a fresh one).
        console.MapGet("/sign-in", (string? returnUrl, bool? fresh) =>
            Results.Challenge(ConsoleAuthentication.SignInProperties(returnUrl, fresh == true), [ConsoleAuthentication.OidcScheme])).AllowAnonymous();

        // A form post with the antiforgery token: no other site can sign a person out.
        console.MapPost("/sign-out", (HttpContext http, ConsoleSessions sessions) =>
        {
            // The cookie goes, and the Identity service ends its session too (its id token as the hint).
            sessions.End(ConsoleAuthentication.PersonOf(http.User).Session);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [ConsoleAuthentication.CookieScheme, ConsoleAuthentication.OidcScheme]);
        }).RequireAuthorization(ConsoleAuthentication.Policy);

        console.MapMinutesDocuments();

        // The language a person chose, kept in a cookie for every later page.
        console.MapGet("/language", (HttpContext http, string? language, string? returnUrl) =>
        {
            if (language is not null && Languages.Contains(language, StringComparer.Ordinal))
            {
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            }

            return Results.LocalRedirect(ConsoleAuthentication.LocalOrHome(returnUrl));
        }).AllowAnonymous();
    }
}
