using HotlineSystem.Contracts.Registry;
using IncidentsChannel = HotlineSystem.Incidents.Catalogue.Channel;
using IncidentsParty = HotlineSystem.Incidents.Catalogue.Party;
using DirectoryParty = HotlineSystem.BuildingBlocks.Registry.DirectoryParty;

namespace HotlineSystem.UnitTests.Security;

/// <summary>Each service's copy of the registry keeps the newest announcement, whatever order they arrive in (docs/adr/0009).</summary>
public sealed class RegistryCopyTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);

    private static ChannelChanged KrVn(int version, ChannelStatus status) => new("KR-VN", version, "KR", "VN", $"name {version}", status, "u", Now);

    [Fact]
    public void A_channel_opens_suspends_and_ignores_an_older_or_repeated_announcement()
    {
        var channel = IncidentsChannel.From(KrVn(1, ChannelStatus.Proposed));
        Assert.False(channel.IsOpen);

        channel.Apply(KrVn(3, ChannelStatus.Suspended));
        channel.Apply(KrVn(2, ChannelStatus.Open)); // late: already superseded
        channel.Apply(KrVn(3, ChannelStatus.Open)); // repeated version

        Assert.Equal((ChannelStatus.Suspended, 3, "name 3"), (channel.Status, channel.Version, channel.NameEn));
        Assert.False(channel.IsOpen);
        Assert.Equal("VN", channel.CounterpartOf("KR"));
    }

    [Fact]
    public void A_party_s_copy_takes_a_newer_time_zone_only()
    {
        var incidents = IncidentsParty.From(new PartyChanged("VN", 2, "Viet Nam", "Việt Nam", "Asia/Ho_Chi_Minh", "vi", Now));
        var escalation = DirectoryParty.From(new PartyChanged("VN", 2, "Viet Nam", "Việt Nam", "Asia/Ho_Chi_Minh", "vi", Now));

        foreach (var changed in new[] { new PartyChanged("VN", 1, "Old", "Old", "Asia/Bangkok", "en", Now), new PartyChanged("VN", 3, "Viet Nam", "Việt Nam", "Asia/Saigon", "vi", Now) })
        {
            incidents.Apply(changed);
            escalation.Apply(changed);
        }

        Assert.Equal(("Asia/Saigon", 3, "Viet Nam"), (incidents.TimeZone, incidents.Version, incidents.NameEn));
        Assert.Equal(("Asia/Saigon", 3), (escalation.TimeZone, escalation.Version));
    }
}
