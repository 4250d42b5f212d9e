using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts;

namespace HotlineSystem.UnitTests.Security;

/// <summary>The security core's rules, written once in the building blocks: a channel code and who may read a record.</summary>
public sealed class SecurityCoreTests
{
    private static readonly ChannelCode KrCn = ChannelCode.Parse("KR-CN");

    [Theory]
    [InlineData("KR-CN", "KR", "CN")]
    [InlineData("KR-VN", "KR", "VN")]
    public void A_channel_code_names_its_two_parties_and_each_ones_counterpart(string text, string first, string second)
    {
        var code = ChannelCode.Parse(text);

        Assert.Equal((first, second, text), (code.First, code.Second, code.Value));
        Assert.Equal((second, first), (code.CounterpartOf(first), code.CounterpartOf(second)));
        Assert.True(code.Includes(first) && code.Includes(second));
        Assert.False(code.Includes("LA"));
        Assert.Throws<ArgumentException>(() => code.CounterpartOf("LA"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("KR")]
    [InlineData("KR-KR")]
    [InlineData("kr-cn")]
    [InlineData("KR-CN-VN")]
    [InlineData("KR_CN")]
    [InlineData("KR-C1")]
    [InlineData(" KR-CN")]
    public void Anything_but_two_different_alpha_2_codes_is_not_a_channel_code(string? text)
    {
        Assert.False(ChannelCode.TryParse(text, out _));
    }

    [Fact]
    public void A_shared_record_is_read_by_both_parties_of_its_channel_and_nobody_else()
    {
        Assert.Equal(["KR", "CN"], ReadAccess.Readers(KrCn, "KR", Visibility.Shared));
        Assert.True(ReadAccess.MayRead("CN", KrCn, "KR", Visibility.Shared));
        Assert.False(ReadAccess.MayRead("VN", KrCn, "KR", Visibility.Shared));
    }

    [Fact]
    public void An_internal_record_is_read_by_its_owner_only()
    {
        Assert.Equal(["KR"], ReadAccess.Readers(KrCn, "KR", Visibility.Internal));
        Assert.False(ReadAccess.MayRead("CN", KrCn, "KR", Visibility.Internal));
        Assert.True(ReadAccess.MayRead("CN", KrCn, "CN", Visibility.Internal));
    }

    [Fact]
    public void An_internal_record_of_a_party_not_on_its_channel_is_read_by_nobody()
    {
        Assert.Empty(ReadAccess.Readers(KrCn, "VN", Visibility.Internal));
    }
}
