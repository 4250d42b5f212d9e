using FluentValidation.Results;
using HotlineSystem.ServiceDefaults;

namespace HotlineSystem.UnitTests.ServiceDefaults;

public sealed class ValidationFilterTests
{
    [Theory]
    [InlineData("RequestId", "requestId")]
    [InlineData("Minerals[0]", "minerals[0]")]
    [InlineData("HsCodes[12]", "hsCodes[12]")]
    [InlineData("Quantity.Tonnes", "quantity.tonnes")]
    [InlineData("Sectors", "sectors")]
    [InlineData("title", "title")]
    public void A_property_name_becomes_the_JSON_field_path_the_client_sent(string propertyName, string fieldPath) =>
        Assert.Equal(fieldPath, FieldPaths.Of(propertyName));

    [Theory]
    [InlineData("NotEmptyValidator", "required")]
    [InlineData("NotNullValidator", "required")]
    [InlineData("MaximumLengthValidator", "too-long")]
    [InlineData("MinimumLengthValidator", "too-short")]
    [InlineData("LengthValidator", "invalid-length")]
    [InlineData("EnumValidator", "invalid-value")]
    [InlineData("StringEnumValidator", "invalid-value")]
    [InlineData("GreaterThanOrEqualValidator", "too-small")]
    [InlineData("GreaterThanValidator", "too-small")]
    [InlineData("LessThanOrEqualValidator", "too-large")]
    [InlineData("LessThanValidator", "too-large")]
    [InlineData("InclusiveBetweenValidator", "out-of-range")]
    [InlineData("ExclusiveBetweenValidator", "out-of-range")]
    [InlineData("RegularExpressionValidator", "invalid-format")]
    [InlineData("unknown-mineral", "unknown-mineral")]
    public void A_FluentValidation_code_becomes_a_stable_code(string errorCode, string code)
    {
        var error = ValidationFilter<object>.ToFieldError(new ValidationFailure("Minerals[1]", "Message for people.") { ErrorCode = errorCode });

        Assert.Equal(new FieldError("minerals[1]", code, "Message for people."), error);
    }
}
