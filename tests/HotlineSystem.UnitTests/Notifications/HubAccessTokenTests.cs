using HotlineSystem.Notifications.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.UnitTests.Notifications;

public sealed class HubAccessTokenTests
{
    [Theory]
    [InlineData("/hubs/notifications", "?id=abc&access_token=t0ken", "?id=abc")]
    [InlineData("/hubs/notifications/negotiate", "?access_token=t0ken&negotiateVersion=1", "?negotiateVersion=1")]
    [InlineData("/HUBS/Notifications", "?access_token=t0ken", "")]
    public async Task On_the_hub_path_the_query_token_becomes_the_bearer_header_and_leaves_the_query_string(string path, string query, string left)
    {
        var request = await AfterMiddlewareAsync(path, query);

        Assert.Equal("Bearer t0ken", request.Headers.Authorization.ToString());
        Assert.Equal(left, request.QueryString.Value ?? "");
    }

    [Theory]
    [InlineData("?ACCESS_TOKEN=t0ken&id=abc")]
    [InlineData("?id=abc&Access_Token=t0ken")]
    public async Task A_query_token_whose_name_differs_only_in_case_is_read_and_removed_alike(string query)
    {
        var request = await AfterMiddlewareAsync("/hubs/notifications", query);

        Assert.Equal("Bearer t0ken", request.Headers.Authorization.ToString());
        Assert.Equal("?id=abc", request.QueryString.Value);
    }

    [Fact]
    public async Task A_header_already_given_wins_and_the_query_token_is_still_removed()
    {
        var request = await AfterMiddlewareAsync("/hubs/notifications", "?access_token=other&id=abc", "Bearer header-token");

        Assert.Equal("Bearer header-token", request.Headers.Authorization.ToString());
        Assert.Equal("?id=abc", request.QueryString.Value);
    }

    [Theory]
    [InlineData("/api/feed")]
    [InlineData("/api/feed/read")]
    [InlineData("/hubs/notificationsx")]
    [InlineData("/hubs")]
    [InlineData("/")]
    public async Task Elsewhere_a_query_token_is_left_alone_and_never_becomes_a_header(string path)
    {
        var request = await AfterMiddlewareAsync(path, "?access_token=t0ken");

        Assert.Equal(0, request.Headers.Authorization.Count);
        Assert.Equal("?access_token=t0ken", request.QueryString.Value);
    }

    /// <summary>The request as the next middleware (authentication) sees it.</summary>
    private static async Task<HttpRequest> AfterMiddlewareAsync(string path, string query, string? authorization = null)
    {
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        HttpRequest? seen = null;
        app.UseHubAccessTokenFromQuery();
        app.Run(context =>
        {
            seen = context.Request;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        await app.Build()(context);
        return seen ?? throw new InvalidOperationException("The middleware did not call the next one.");
    }
}
