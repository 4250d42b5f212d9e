using HotlineSystem.Contracts;
using HotlineSystem.Incidents.Features;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Validation;

public sealed class CommentValidatorTests
{
    private readonly CommentValidator _validator = new();

    [Theory]
    [InlineData(Visibility.Shared)]
    [InlineData(Visibility.Internal)]
    public Task A_comment_for_either_audience_passes(Visibility visibility) =>
        PassesAsync(_validator, new CommentRequest("Customs in Tianjin released two of five containers.", visibility));

    [Fact]
    public Task A_comment_of_several_lines_at_the_length_limit_passes() =>
        PassesAsync(_validator, new CommentRequest("Line 1\r\n\tLine 2\n" + new string('x', TextLimits.Comment - 16), Visibility.Shared));

    [Fact]
    public Task An_empty_comment_is_refused() =>
        FailsOnlyAsync(_validator, new CommentRequest("", Visibility.Shared), "text", "required");

    [Fact]
    public Task A_comment_above_4000_characters_is_too_long() =>
        FailsOnlyAsync(_validator, new CommentRequest(new string('x', TextLimits.Comment + 1), Visibility.Shared), "text", "too-long");

    [Fact]
    public Task A_comment_with_a_control_character_is_refused() =>
        FailsOnlyAsync(_validator, new CommentRequest("Escape \u001b[31m", Visibility.Shared), "text", "invalid-characters");

    [Fact]
    public Task A_comment_without_a_visibility_is_refused() =>
        FailsOnlyAsync(_validator, new CommentRequest("Noted.", null), "visibility", "required");

    [Fact]
    public Task A_visibility_that_does_not_exist_is_an_invalid_value() =>
        FailsOnlyAsync(_validator, new CommentRequest("Noted.", (Visibility)3), "visibility", "invalid-value");
}
