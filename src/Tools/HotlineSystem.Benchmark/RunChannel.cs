using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.Benchmark;

/// <summary>A channel as the Incidents service's catalogue shows it: only the reader's party's channels.</summary>
public sealed record CatalogueChannel(string Code, ChannelStatus Status);

/// <summary>
/// The channel a run works on, the party acting on it (filing, or owning the escalation policy) and
/// the channel's other party. Channels are data of the registry, so the tool learns them at start.
/// </summary>
public sealed record RunChannel(ChannelCode Code, string Party, string Counterpart)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The channels of the reader's party, from GET /api/catalogue.</summary>
    public static async Task<IReadOnlyList<CatalogueChannel>> ReadCatalogueAsync(Uri incidentsUrl, AccessTokens reader, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(incidentsUrl, "/api/catalogue"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader.Current);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"GET {request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return ChannelsOf(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The channels of a catalogue's JSON (the Incidents service's CatalogueView); the rest is not read.</summary>
    public static IReadOnlyList<CatalogueChannel> ChannelsOf(string catalogueJson) =>
        JsonSerializer.Deserialize<Catalogue>(catalogueJson, Json)?.Channels
            ?? throw new InvalidOperationException("The catalogue holds no list of channels.");

    /// <summary>
    /// The channel asked for, or else the first open channel of <paramref name="party"/> in the
    /// catalogue's order; with <paramref name="counterpart"/>, only a channel with that other party
    /// will do. Fails with a message that lists what the catalogue holds.
    /// </summary>
    public static RunChannel Choose(IReadOnlyList<CatalogueChannel> channels, string party, ChannelCode? requested = null, string? counterpart = null)
    {
        var ofParty = new List<(ChannelCode Code, ChannelStatus Status)>();
        foreach (var channel in channels)
        {
            if (ChannelCode.TryParse(channel.Code, out var code) && code.Includes(party))
            {
                ofParty.Add((code, channel.Status));
            }
        }

        var held = ofParty.Count == 0 ? "none" : string.Join(", ", ofParty.Select(c => $"{c.Code} {c.Status}"));
        bool Fits(ChannelCode code) => counterpart is null || code.CounterpartOf(party) == counterpart;

        if (requested is { } asked)
        {
            var index = ofParty.FindIndex(c => c.Code == asked);
            if (index < 0)
            {
                throw new InvalidOperationException($"Channel {asked} is not a channel of {party} in the catalogue (channels of {party}: {held}).");
            }

            if (ofParty[index].Status != ChannelStatus.Open)
            {
                throw new InvalidOperationException($"Channel {asked} is {ofParty[index].Status}, not open: incidents are filed on an open channel only.");
            }

            return Fits(asked)
                ? new RunChannel(asked, party, asked.CounterpartOf(party))
                : throw new InvalidOperationException($"Channel {asked} joins {party} with {asked.CounterpartOf(party)}, not with {counterpart}.");
        }

        foreach (var (code, status) in ofParty)
        {
            if (status == ChannelStatus.Open && Fits(code))
            {
                return new RunChannel(code, party, code.CounterpartOf(party));
            }
        }

        throw new InvalidOperationException(
            $"No open channel of {party}{(counterpart is null ? "" : $" with {counterpart}")} in the catalogue (channels of {party}: {held}); "
            + "open one in the Identity service's registry, or name one with --channel.");
    }

    public override string ToString() => $"{Code} ({Party}, counterpart {Counterpart})";

    private sealed record Catalogue(IReadOnlyList<CatalogueChannel>? Channels);
}
