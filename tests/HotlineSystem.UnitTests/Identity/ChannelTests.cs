using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Identity.Registry;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>A channel opens only with both parties' consent; either may suspend it; reopening needs both again.</summary>
public sealed class ChannelTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_proposal_names_the_proposer_first_and_waits_for_the_other_party()
    {
        var channel = Channel.Propose("KR", "VN", "Korea–Viet Nam channel", "kr-admin", Now);

        Assert.Equal(("KR-VN", ChannelStatus.Proposed, "KR", 1), (channel.Code, channel.Status, channel.ProposedBy, channel.Version));
        Assert.Equal(ChannelStatus.Proposed, Assert.IsType<ChannelChanged>(Assert.Single(channel.Events)).Status);
    }

    [Fact]
    public void The_proposer_cannot_accept_its_own_proposal_the_other_party_can()
    {
        var channel = Channel.Propose("KR", "VN", "Korea–Viet Nam channel", "kr-admin", Now);

        Assert.Equal("own-proposal", Assert.Throws<RuleViolation>(() => channel.Accept("KR", "kr-admin", Now)).Code);
        channel.Accept("VN", "vn-admin", Now);

        Assert.Equal((ChannelStatus.Open, (string?)null, "vn-admin", 2), (channel.Status, channel.ProposedBy, channel.ChangedBy, channel.Version));
        Assert.Equal(ChannelStatus.Open, Assert.IsType<ChannelChanged>(channel.Events[^1]).Status);
    }

    [Fact]
    public void Either_party_suspends_and_reopening_needs_the_other_partys_acceptance_again()
    {
        var channel = Channel.Propose("KR", "VN", "Korea–Viet Nam channel", "kr-admin", Now);
        channel.Accept("VN", "vn-admin", Now);

        channel.Suspend("vn-admin", Now);
        Assert.Equal("channel-not-proposed", Assert.Throws<RuleViolation>(() => channel.Accept("KR", "kr-admin", Now)).Code);
        channel.ProposeAgain("VN", "vn-admin", Now);
        Assert.Equal("own-proposal", Assert.Throws<RuleViolation>(() => channel.Accept("VN", "vn-admin", Now)).Code);
        channel.Accept("KR", "kr-admin", Now);

        Assert.Equal(ChannelStatus.Open, channel.Status);
        Assert.Equal([ChannelStatus.Proposed, ChannelStatus.Open, ChannelStatus.Suspended, ChannelStatus.Proposed, ChannelStatus.Open],
            channel.Events.OfType<ChannelChanged>().Select(e => e.Status));
    }

    [Fact]
    public void An_open_channel_is_not_proposed_again_and_a_suspended_one_not_suspended_twice()
    {
        var channel = Channel.Propose("KR", "VN", "Korea–Viet Nam channel", "kr-admin", Now);
        channel.Accept("VN", "vn-admin", Now);

        Assert.Equal("channel-not-suspended", Assert.Throws<RuleViolation>(() => channel.ProposeAgain("KR", "kr-admin", Now)).Code);
        channel.Suspend("kr-admin", Now);
        Assert.Equal("channel-suspended", Assert.Throws<RuleViolation>(() => channel.Suspend("vn-admin", Now)).Code);
    }

    [Theory]
    [InlineData("vn", "Socialist Republic of Viet Nam", "Asia/Ho_Chi_Minh", "vi", "code")]
    [InlineData("VN", "", "Asia/Ho_Chi_Minh", "vi", "englishName")]
    [InlineData("VN", "Socialist Republic of Viet Nam", "Hanoi", "vi", "timeZone")]
    [InlineData("VN", "Socialist Republic of Viet Nam", "Asia/Ho_Chi_Minh", "klingon", "workingLanguage")]
    public void A_party_needs_an_alpha_2_code_names_an_IANA_time_zone_and_a_known_language(string code, string english, string zone, string language, string field)
    {
        var errors = RegistryRules.PartyErrors(code, english, "Việt Nam", zone, language).ToList();

        Assert.Equal([field], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_complete_party_has_no_errors()
    {
        Assert.Empty(RegistryRules.PartyErrors("LA", "Lao People's Democratic Republic", "ລາວ", "Asia/Vientiane", "lo"));
    }
}
