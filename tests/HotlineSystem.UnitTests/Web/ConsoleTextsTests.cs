using System.Xml.Linq;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Contracts.Notifications;

namespace HotlineSystem.UnitTests.Web;

/// <summary>The console's texts: every key in every language, and a text for every value a page names by key.</summary>
public sealed class ConsoleTextsTests
{
    private static readonly string Resources = Path.Combine(TestPaths.RepositoryRoot, "src", "Web", "HotlineSystem.Web", "Resources");

    public static TheoryData<string> Languages() => new() { "ko", "zh-Hans" };

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_text_is_translated_and_not_left_in_English(string language)
    {
        var english = Texts("ConsoleTexts.resx");
        var translated = Texts($"ConsoleTexts.{language}.resx");

        Assert.Equal(english.Keys.Order(), translated.Keys.Order());
        Assert.All(translated, text => Assert.False(string.IsNullOrWhiteSpace(text.Value), $"{language}: {text.Key} is empty"));
        // Codes and names stay as they are in every language; anything else must differ from the English.
        var same = translated.Where(t => t.Value == english[t.Key] && t.Key is not ("Source_Api")).Select(t => t.Key).ToList();
        Assert.True(same.Count == 0, $"{language}: not translated: {string.Join(", ", same)}");
    }

    [Fact]
    public void The_generated_resx_files_match_their_table()
    {
        var rows = File.ReadAllLines(Path.Combine(Resources, "texts.tsv")).Where(line => line.Length > 0).Select(line => line.Split('\t')).ToList();
        var english = Texts("ConsoleTexts.resx");

        Assert.All(rows, row => Assert.Equal(4, row.Length));
        Assert.Equal(rows.Select(r => r[0]).Order(), english.Keys.Order());
        Assert.All(rows, row => Assert.Equal(row[1], english[row[0]]));
    }

    [Fact]
    public void Every_severity_status_and_feed_kind_has_a_text()
    {
        var keys = Texts("ConsoleTexts.resx").Keys.ToHashSet();

        Assert.All(Enum.GetNames<Severity>(), name => Assert.Contains("Severity_" + name, keys));
        Assert.All(Enum.GetNames<IncidentStatus>(), name => Assert.Contains("Status_" + name, keys));
        Assert.All(Enum.GetNames<FeedEntryKind>(), name => Assert.Contains("Feed_" + name, keys));
    }

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
}
