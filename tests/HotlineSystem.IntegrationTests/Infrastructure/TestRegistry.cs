using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The parties and channel every test deployment starts with: the Identity service's seed
/// configuration (Registry:Seed), and the same as the registry's announcements, which a test app
/// of another service receives at its start (<see cref="Announcements"/>) when it runs without Identity.
/// </summary>
public static class TestRegistry
{
    public sealed record TestParty(string Code, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage);

    public static readonly IReadOnlyList<TestParty> Parties =
    [
        new("KR", "Republic of Korea", "대한민국", "Asia/Seoul", "ko"),
        new("CN", "People's Republic of China", "中华人民共和国", "Asia/Shanghai", "zh-Hans"),
    ];

    public static readonly IReadOnlyList<(string Code, string Name)> Channels = [("KR-CN", "Korea–China rare-earth supply hotline")];

    public static IReadOnlyDictionary<string, string> Seed { get; } = SeedSettings();

    /// <summary>What the registry announces of them (version 1, each channel Open).</summary>
    public static (IReadOnlyList<PartyChanged> Parties, IReadOnlyList<ChannelChanged> Channels) Announcements(DateTimeOffset now) => (
        [.. Parties.Select(p => new PartyChanged(p.Code, 1, p.EnglishName, p.NativeName, p.TimeZone, p.WorkingLanguage, now))],
        [.. Channels.Select(c => new ChannelChanged(c.Code, 1, c.Code[..2], c.Code[3..], c.Name, ChannelStatus.Open, "operator", now))]);

    /// <summary>How long the registry's answer to a starting service's replay request may take over the broker.</summary>
    public static readonly TimeSpan ReplayDelay = TimeSpan.FromSeconds(30);

    /// <summary>Waits until a service started beside the shared Identity service holds what the registry announced to it.</summary>
    public static void WaitForReplay(string service, Func<Task<bool>> known)
    {
        var deadline = DateTimeOffset.UtcNow + ReplayDelay;
        while (!Task.Run(known).GetAwaiter().GetResult())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The {service} host did not receive the registry's parties and channels within {ReplayDelay.TotalSeconds} s of its start.");
            }

            Thread.Sleep(100);
        }
    }

    private static Dictionary<string, string> SeedSettings()
    {
        var settings = new Dictionary<string, string>();
        foreach (var (party, i) in Parties.Select((p, i) => (p, i)))
        {
            settings[$"Registry:Seed:Parties:{i}:Code"] = party.Code;
            settings[$"Registry:Seed:Parties:{i}:EnglishName"] = party.EnglishName;
            settings[$"Registry:Seed:Parties:{i}:NativeName"] = party.NativeName;
            settings[$"Registry:Seed:Parties:{i}:TimeZone"] = party.TimeZone;
            settings[$"Registry:Seed:Parties:{i}:WorkingLanguage"] = party.WorkingLanguage;
        }

        foreach (var ((code, name), i) in Channels.Select((c, i) => (c, i)))
        {
            settings[$"Registry:Seed:Channels:{i}:Code"] = code;
            settings[$"Registry:Seed:Channels:{i}:Name"] = name;
        }

        return settings;
    }
}
