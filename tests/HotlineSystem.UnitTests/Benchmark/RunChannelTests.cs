using System.Text.Json;
using HotlineSystem.Benchmark;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.ServiceDefaults.Input;

namespace HotlineSystem.UnitTests.Benchmark;

/// <summary>The benchmark tool files on a channel it learned from the catalogue, never on one named in its code.</summary>
public sealed class RunChannelTests
{
    private static readonly CatalogueChannel[] Catalogue =
    [
        new("KR-VN", ChannelStatus.Suspended),
        new("JP-KR", ChannelStatus.Open),
        new("KR-CN", ChannelStatus.Open),
    ];

    [Fact]
    public void The_first_open_channel_of_the_party_is_chosen_and_its_other_party_is_the_counterpart()
    {
        var chosen = RunChannel.Choose(Catalogue, "KR");

        Assert.Equal((ChannelCode.Parse("JP-KR"), "KR", "JP"), (chosen.Code, chosen.Party, chosen.Counterpart));
    }

    [Fact]
    public void A_known_counterpart_narrows_the_choice_to_the_channel_with_it()
    {
        var chosen = RunChannel.Choose(Catalogue, "KR", counterpart: "CN");

        Assert.Equal((ChannelCode.Parse("KR-CN"), "CN"), (chosen.Code, chosen.Counterpart));
    }

    [Fact]
    public void The_channel_option_picks_another_open_channel()
    {
        var chosen = RunChannel.Choose(Catalogue, "KR", ChannelCode.Parse("KR-CN"));

        Assert.Equal((ChannelCode.Parse("KR-CN"), "KR", "CN"), (chosen.Code, chosen.Party, chosen.Counterpart));
    }

    [Fact]
    public void A_channel_asked_for_that_is_not_open_is_refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RunChannel.Choose(Catalogue, "KR", ChannelCode.Parse("KR-VN")));

        Assert.Equal("Channel KR-VN is Suspended, not open: incidents are filed on an open channel only.", exception.Message);
    }

    [Fact]
    public void A_channel_asked_for_that_is_not_the_party_s_is_refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RunChannel.Choose(Catalogue, "KR", ChannelCode.Parse("CN-VN")));

        Assert.Contains("CN-VN is not a channel of KR", exception.Message);
    }

    [Fact]
    public void A_channel_asked_for_with_another_counterpart_is_refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RunChannel.Choose(Catalogue, "KR", ChannelCode.Parse("JP-KR"), counterpart: "CN"));

        Assert.Equal("Channel JP-KR joins KR with JP, not with CN.", exception.Message);
    }

    [Fact]
    public void With_no_open_channel_the_error_says_what_the_catalogue_holds()
    {
        CatalogueChannel[] closed = [new("KR-VN", ChannelStatus.Suspended), new("KR-CN", ChannelStatus.Proposed), new("CN-VN", ChannelStatus.Open)];

        var exception = Assert.Throws<InvalidOperationException>(() => RunChannel.Choose(closed, "KR"));

        Assert.StartsWith("No open channel of KR in the catalogue (channels of KR: KR-VN Suspended, KR-CN Proposed);", exception.Message);
        Assert.Contains("--channel", exception.Message);
    }

    [Fact]
    public void With_no_channel_at_all_the_error_says_none()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RunChannel.Choose([], "KR", counterpart: "CN"));

        Assert.StartsWith("No open channel of KR with CN in the catalogue (channels of KR: none);", exception.Message);
    }

    [Fact]
    public void The_channels_are_read_from_the_catalogue_as_the_Incidents_service_writes_it()
    {
        var view = new CatalogueView(
            [], [], [], [],
            [new Party("KR", "Korea", "한국", "Asia/Seoul", "ko")],
            [new Channel("KR-CN", "KR", "CN", "Korea–China", ChannelStatus.Open), new Channel("KR-VN", "KR", "VN", "Korea–Viet Nam", ChannelStatus.Suspended)]);
        var json = JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new EnumNamesConverter() } });

        Assert.Equal([new("KR-CN", ChannelStatus.Open), new("KR-VN", ChannelStatus.Suspended)], RunChannel.ChannelsOf(json));
    }

    [Fact]
    public void The_channel_option_takes_a_channel_code_or_nothing()
    {
        Assert.Equal(ChannelCode.Parse("KR-CN"), BenchmarkOptions.Parse(["--channel", "KR-CN"]).Channel);
        Assert.Null(BenchmarkOptions.Parse([]).Channel);
        Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(["--channel", "KRCN"]));
    }
}
