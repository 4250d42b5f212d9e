using HotlineSystem.Notifications.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.UnitTests.Notifications;

public sealed class HubAccessTokenTests
{
    [Fact]
    public async Task On_the_hubs_path_the_query_token_becomes_the_authorization_header_and_leaves_the_query_string()
    {
        var request = await RunAsync("/hubs/notifications", "?id=abc&access_token=the-token");

        Assert.Equal("Bearer the-token", request.Headers.Authorization.ToString());
        Assert.Equal("?id=abc", request.QueryString.Value);
    }

    [Fact]
    public async Task A_header_already_sent_wins_over_the_query_token()
    {
        var request = await RunAsync("/hubs/notifications/negotiate", "?access_token=from-query", "Bearer from-header");

        Assert.Equal("Bearer from-header", request.Headers.Authorization.ToString());
        Assert.False(request.Query.ContainsKey("access_token"));
    }

    [Theory]
    [InlineData("/api/feed")]
    [InlineData("/hubs/notificationsx")]
    [InlineData("/api/incidents")]
    public async Task Anywhere_else_a_query_token_is_not_a_token(string path)
    {
        var request = await RunAsync(path, "?access_token=the-token");

        Assert.True(string.IsNullOrEmpty(request.Headers.Authorization.ToString()));
    }

    private static async Task<HttpRequest> RunAsync(string path, string query, string? authorization = null)
    {
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        app.UseHubAccessTokenFromQuery();
        HttpRequest? seen = null;
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
        return seen!;
    }
}
