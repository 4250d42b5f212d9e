using HotlineSystem.Identity.Account;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>After signing in, the browser goes back only to a path of this server: never an open redirect.</summary>
public sealed class ReturnUrlTests
{
    private const string Default = "/account/signed-in";

    [Theory]
    [InlineData("/connect/authorize?x=1")]
    [InlineData("/connect/authorize?client_id=hotline-web&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=a%2Fb")]
    [InlineData("/account/signed-in")]
    [InlineData("/")]
    public void A_path_of_this_server_is_kept(string returnUrl) =>
        Assert.Equal(returnUrl, AccountEndpoints.LocalOrDefault(returnUrl));

    [Theory]
    [InlineData("https://evil")]
    [InlineData("https://evil.example/connect/authorize")]
    [InlineData("//evil")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil")]
    [InlineData("\\\\evil")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil/path")]
    [InlineData(" /connect/authorize")]
    public void Anywhere_else_goes_to_the_signed_in_page(string returnUrl) =>
        Assert.Equal(Default, AccountEndpoints.LocalOrDefault(returnUrl));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void No_return_url_goes_to_the_signed_in_page(string? returnUrl) =>
        Assert.Equal(Default, AccountEndpoints.LocalOrDefault(returnUrl));

    [Theory]
    [InlineData("/connect/authorize\r\nSet-Cookie: hotline-session=stolen")]
    [InlineData("/connect/authorize\nLocation: https://evil")]
    [InlineData("/connect/authorize\r")]
    public void A_return_url_with_a_line_break_goes_to_the_signed_in_page(string returnUrl) =>
        Assert.Equal(Default, AccountEndpoints.LocalOrDefault(returnUrl));

    [Fact]
    public void A_return_url_longer_than_4096_characters_goes_to_the_signed_in_page() =>
        Assert.Equal(Default, AccountEndpoints.LocalOrDefault("/connect/authorize?state=" + new string('a', 4096)));
}
