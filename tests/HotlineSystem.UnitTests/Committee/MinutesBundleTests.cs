using System.Diagnostics;
using HotlineSystem.Committee.Signing;

namespace HotlineSystem.UnitTests.Committee;

public sealed class MinutesBundleTests : IDisposable
{
    private readonly AgreedMinutes _minutes = new();
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hotline-minutes-");

    private string Bundle => Path.Combine(_root.FullName, "bundle");

    [Fact]
    public async Task The_bundle_holds_the_texts_their_sums_the_record_both_keys_and_a_readme()
    {
        await MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly, _minutes.SignedByBoth(), [_minutes.Korea, _minutes.China]);

        var files = Directory.EnumerateFiles(Bundle, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Bundle, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[] { "README.txt", "SHA256SUMS", "keys/CN.pem", "keys/KR.pem", "minutes.cose", "minutes.en.txt", "minutes.ko.txt", "minutes.zh-Hans.txt" },
            files);
        Assert.Equal(MinutesDigest.BytesOf(AgreedMinutes.Korean), await File.ReadAllBytesAsync(Path.Combine(Bundle, "minutes.ko.txt")));
        Assert.Equal(_minutes.China.KeyId, PartyKey.FromPem("CN", await File.ReadAllTextAsync(Path.Combine(Bundle, "keys", "CN.pem"))).KeyId);
        var readme = await File.ReadAllTextAsync(Path.Combine(Bundle, "README.txt"));
        Assert.Contains(AgreedMinutes.MinutesId.ToString(), readme);
        Assert.Contains("sha256sum -c SHA256SUMS", readme);
        Assert.Contains("minutes.en.txt", readme);
        Assert.Contains("not authentic", readme);
    }

    [Fact]
    public async Task An_outside_sha256sum_of_the_exported_texts_matches_the_record()
    {
        await MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly, _minutes.SignedByBoth(), [_minutes.Korea, _minutes.China]);

        var check = await RunAsync("sha256sum", "-c", "SHA256SUMS");
        var hashed = await RunAsync("sha256sum", "minutes.en.txt", "minutes.ko.txt", "minutes.zh-Hans.txt");

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Equal(new[] { "minutes.en.txt: OK", "minutes.ko.txt: OK", "minutes.zh-Hans.txt: OK" }, Lines(check.Output));
        Assert.Equal(0, hashed.ExitCode);
        var record = MinutesSignatures.ContentOf(await File.ReadAllBytesAsync(Path.Combine(Bundle, "minutes.cose")));
        var fromRecord = record.Texts.Select(t => $"{t.Sha256}  {MinutesBundle.TextFileName(t.Language)}");
        Assert.Equal(fromRecord.Order(StringComparer.Ordinal), Lines(hashed.Output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Texts_other_than_the_signed_ones_are_not_exported()
    {
        var changed = AgreedMinutes.TextsOnly.Select(t => t.Language == "en" ? (t.Language, t.Text + " ") : t);

        await Assert.ThrowsAsync<ArgumentException>(
            () => MinutesBundle.WriteAsync(Bundle, changed, _minutes.SignedByBoth(), [_minutes.Korea, _minutes.China]));
        await Assert.ThrowsAsync<ArgumentException>(
            () => MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly.Skip(1), _minutes.SignedByBoth(), [_minutes.Korea, _minutes.China]));
        Assert.False(Directory.Exists(Bundle));
    }

    [Fact]
    public async Task A_bundle_is_not_written_over_another()
    {
        await MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly, _minutes.SignedByBoth(), [_minutes.Korea, _minutes.China]);

        await Assert.ThrowsAsync<IOException>(
            () => MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly, _minutes.SignedByKorea(), [_minutes.Korea, _minutes.China]));
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Bundle,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["LC_ALL"] = "C" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        _minutes.Dispose();
        _root.Delete(recursive: true);
    }
}
