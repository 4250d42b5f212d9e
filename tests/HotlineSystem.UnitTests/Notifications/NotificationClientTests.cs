using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Client;

namespace HotlineSystem.UnitTests.Notifications;

/// <summary>
/// The typed client: it reads the feed entries of a newer service (kinds are added over time, the
/// committee's next), and finds the hub under a service address with a path.
/// </summary>
public sealed class NotificationClientTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new TolerantKindConverter(), new JsonStringEnumConverter() },
    };

    [Theory]
    [InlineData("EscalationStopped", FeedEntryKind.EscalationStopped)]
    [InlineData("IncidentReported", FeedEntryKind.IncidentReported)]
    [InlineData("AgendaItemAgreed", FeedEntryKind.AgendaItemAgreed)]
    [InlineData("MinutesSigned", FeedEntryKind.MinutesSigned)]
    [InlineData("DecisionRecorded", FeedEntryKind.DecisionRecorded)]
    [InlineData("DecisionAmended", FeedEntryKind.Unknown)]
    [InlineData("Unknown", FeedEntryKind.Unknown)]
    [InlineData("", FeedEntryKind.Unknown)]
    public void A_kind_is_read_by_name_and_one_newer_than_the_client_as_Unknown(string sent, FeedEntryKind read)
    {
        var json = $$"""
            {"sequence":7,"kind":"{{sent}}","channel":"KR-CN","incidentId":null,"actingParty":"CN","actingUser":null,
             "visibility":"Shared","important":false,"title":"Joint committee","detail":"Agenda item agreed","occurredAt":"2026-11-27T09:00:00+00:00","readAt":null}
            """;

        var entry = JsonSerializer.Deserialize<FeedEntry>(json, Options)!;

        Assert.Equal((7L, read, "Agenda item agreed"), (entry.Sequence, entry.Kind, entry.Detail));
    }

    [Fact]
    public void A_kind_is_written_by_name()
    {
        Assert.Equal("\"EscalationTierReached\"", JsonSerializer.Serialize(FeedEntryKind.EscalationTierReached, Options));
    }

    [Theory]
    [InlineData("http://localhost:5103/", "http://localhost:5103/hubs/notifications")]
    [InlineData("http://localhost:5103", "http://localhost:5103/hubs/notifications")]
    [InlineData("https://hotline.example/notifications/", "https://hotline.example/notifications/hubs/notifications")]
    [InlineData("https://hotline.example/notifications", "https://hotline.example/notifications/hubs/notifications")]
    public void The_hub_is_found_under_the_service_address_its_path_included(string service, string hub)
    {
        Assert.Equal(new Uri(hub), NotificationConnection.HubUri(new Uri(service)));
    }
}
