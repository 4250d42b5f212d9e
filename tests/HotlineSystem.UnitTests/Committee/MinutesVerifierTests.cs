using HotlineSystem.Committee.Signing;
using HotlineSystem.MinutesVerifier;

namespace HotlineSystem.UnitTests.Committee;

public sealed class MinutesVerifierTests : IDisposable
{
    private readonly AgreedMinutes _minutes = new();
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hotline-minutes-");

    private string Bundle => Path.Combine(_root.FullName, "bundle");

    private async Task<string> ExportAsync(byte[]? record = null, PartyKey[]? keys = null)
    {
        await MinutesBundle.WriteAsync(Bundle, AgreedMinutes.TextsOnly, record ?? _minutes.SignedByBoth(), keys ?? [_minutes.Korea, _minutes.China]);
        return Bundle;
    }

    private static (int ExitCode, string Output) Verify(string bundle)
    {
        var output = new StringWriter();
        var exitCode = Verifier.Run(bundle, output);
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task A_bundle_signed_by_both_co_chairs_is_verified()
    {
        var (exitCode, output) = Verify(await ExportAsync());

        Assert.True(exitCode == Verifier.Verified, output);
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("ok    KR has signed", output);
        Assert.Contains("ok    CN has signed", output);
        Assert.Contains("VERIFIED: the texts are the ones signed by CN and KR", output);
    }

    [Fact]
    public async Task One_changed_byte_in_a_text_is_rejected()
    {
        var text = Path.Combine(await ExportAsync(), "minutes.zh-Hans.txt");
        var bytes = await File.ReadAllBytesAsync(text);
        bytes[Array.IndexOf(bytes, (byte)'3')] = (byte)'4';
        await File.WriteAllBytesAsync(text, bytes);

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  minutes.zh-Hans.txt: SHA-256", output);
        Assert.Contains("ok    minutes.ko.txt", output);
    }

    [Fact]
    public async Task A_text_changed_together_with_its_line_in_SHA256SUMS_is_still_rejected()
    {
        await ExportAsync();
        var changed = MinutesDigest.BytesOf(AgreedMinutes.English.Replace("30 days", "31 days"));
        await File.WriteAllBytesAsync(Path.Combine(Bundle, "minutes.en.txt"), changed);
        var sums = await File.ReadAllTextAsync(Path.Combine(Bundle, "SHA256SUMS"));
        await File.WriteAllTextAsync(
            Path.Combine(Bundle, "SHA256SUMS"),
            sums.Replace(AgreedMinutes.Digest.TextIn("en")!.Sha256, MinutesDigest.Sha256Of(changed)));

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  minutes.en.txt: SHA-256", output);
        Assert.Contains("FAIL  SHA256SUMS", output);
    }

    [Fact]
    public async Task Swapped_public_keys_are_rejected()
    {
        await ExportAsync();
        var korea = Path.Combine(Bundle, "keys", "KR.pem");
        var china = Path.Combine(Bundle, "keys", "CN.pem");
        var koreanPem = await File.ReadAllTextAsync(korea);
        await File.WriteAllTextAsync(korea, await File.ReadAllTextAsync(china));
        await File.WriteAllTextAsync(china, koreanPem);

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains($"FAIL  signature of KR with key id {_minutes.Korea.KeyId}: key {_minutes.Korea.KeyId} belongs to another party than KR", output);
        Assert.Contains($"FAIL  signature of CN with key id {_minutes.China.KeyId}: key {_minutes.China.KeyId} belongs to another party than CN", output);
        Assert.Contains("FAIL  KR has not signed", output);
        Assert.Contains("FAIL  CN has not signed", output);
    }

    [Fact]
    public async Task A_signature_for_CN_made_with_KRs_key_is_rejected()
    {
        var forged = AgreedMinutes.AddForgedSignature(_minutes.SignedByKorea(), "CN", _minutes.China.KeyId, _minutes.KoreanCoChairKey);

        var (exitCode, output) = Verify(await ExportAsync(forged));

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains($"FAIL  signature of CN with key id {_minutes.China.KeyId}: bad signature", output);
        Assert.Contains("ok    KR has signed", output);
        Assert.Contains("FAIL  CN has not signed", output);
    }

    [Fact]
    public async Task A_missing_text_file_is_rejected()
    {
        File.Delete(Path.Combine(await ExportAsync(), "minutes.ko.txt"));

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  minutes.ko.txt: missing, but the record covers 'ko'", output);
    }

    [Fact]
    public async Task A_text_the_record_does_not_cover_is_rejected()
    {
        await File.WriteAllTextAsync(Path.Combine(await ExportAsync(), "minutes.ja.txt"), "議事録");

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  minutes.ja.txt: a text the record does not cover", output);
    }

    [Fact]
    public async Task Minutes_signed_by_one_co_chair_only_are_rejected()
    {
        var (exitCode, output) = Verify(await ExportAsync(_minutes.SignedByKorea()));

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("ok    KR has signed", output);
        Assert.Contains("FAIL  CN has not signed", output);
    }

    [Fact]
    public async Task A_bundle_that_leaves_out_a_party_and_its_key_is_rejected()
    {
        var (exitCode, output) = Verify(await ExportAsync(_minutes.SignedByKorea(), [_minutes.Korea]));

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  keys/: keys of 1 party, a joint committee needs both", output);
    }

    [Fact]
    public async Task A_folder_without_a_record_is_not_a_usable_bundle()
    {
        File.Delete(Path.Combine(await ExportAsync(), "minutes.cose"));

        Assert.Equal(Verifier.Unusable, Verify(Bundle).ExitCode);
        Assert.Equal(Verifier.Unusable, Verify(Path.Combine(_root.FullName, "nowhere")).ExitCode);
    }

    [Fact]
    public async Task A_record_that_is_not_a_cose_record_is_rejected()
    {
        await File.WriteAllBytesAsync(Path.Combine(await ExportAsync(), "minutes.cose"), AgreedMinutes.Digest.Encode());

        var (exitCode, output) = Verify(Bundle);

        Assert.Equal(Verifier.NotVerified, exitCode);
        Assert.Contains("FAIL  minutes.cose: Not a COSE_Sign record", output);
    }

    public void Dispose()
    {
        _minutes.Dispose();
        _root.Delete(recursive: true);
    }
}
