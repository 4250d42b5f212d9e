using HotlineSystem.ServiceDefaults;

namespace HotlineSystem.UnitTests.ServiceDefaults;

public sealed class ProblemExceptionHandlerTests
{
    [Theory]
    [InlineData(null, "$")]
    [InlineData("", "$")]
    [InlineData("$", "$")]
    [InlineData("$.title", "title")]
    [InlineData("$.minerals[2]", "minerals[2]")]
    [InlineData("$.quantity.tonnes", "quantity.tonnes")]
    public void A_JSON_path_becomes_the_field_the_client_sent(string? path, string field) =>
        Assert.Equal(field, ProblemExceptionHandler.JsonPathToField(path));
}
