using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Committee;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Committee.Minutes;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.MinutesVerifier;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Minutes through the real Committee host: drafted in both languages, reviewed, agreed and signed by
/// each co-chair with their own party's key (after a sign-in with the second factor just now),
/// verified by the API and by an export bundle checked without the system.
/// </summary>
public sealed class MinutesApiTests(CommitteeApiFixture fixture) : IClassFixture<CommitteeApiFixture>
{
    private const string Korean = CommitteeApiFixture.MinutesInKorean;
    private const string Chinese = CommitteeApiFixture.MinutesInChinese;

    [Fact]
    public async Task Both_co_chairs_sign_the_exact_texts_and_the_bundle_verifies_without_the_system()
    {
        var (meetingId, minutes) = await AgreedMinutesAsync();

        var krSigned = await SignAsync(await KrCoChairFreshAsync(), minutes);
        Assert.Equal(MinutesStatus.Signed, krSigned.Status);
        Assert.Equal("KR", Assert.Single(krSigned.Signatures).Party);
        var half = await VerifyAsync(fixture.CnMemberClient(), minutes.Id);
        Assert.True(half.TextsMatch);
        Assert.True(Assert.Single(half.Signatures).Holds);
        Assert.False(half.Verified); // CN has not signed

        // One character changed after the first signature: it is void, and CN cannot sign until both agree again.
        var changed = await CommitteeApiFixture.WriteMinutesAsync(fixture.CnMemberClient(), krSigned, "zh-Hans", Chinese + "。");
        Assert.Equal(MinutesStatus.SharedForReview, changed.Status);
        Assert.Empty(changed.Signatures);
        Assert.Empty(changed.AgreedBy);
        Assert.Empty((await VerifyAsync(fixture.KrMemberClient(), minutes.Id)).Signatures);
        var refused = await (await CnCoChairFreshAsync()).SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/signature").WithIfMatch(changed.Version));
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "not-agreed");

        var again = await AgreeByBothAsync(changed);
        again = await SignAsync(await KrCoChairFreshAsync(), again);
        var locked = await SignAsync(await CnCoChairFreshAsync(), again);
        Assert.Equal(MinutesStatus.Locked, locked.Status);
        Assert.Equal(["CN", "KR"], locked.Signatures.Select(s => s.Party).Order());
        var meeting = await (await fixture.CnMemberClient().GetAsync($"/api/meetings/{meetingId}")).ReadAsync<MeetingDetails>();
        Assert.Equal(MeetingStatus.MinutesSigned, meeting.Status);

        // Locked: every change is refused.
        var edit = await fixture.KrMemberClient().SendAsync(Requests.Put($"/api/minutes/{minutes.Id}/texts/ko", new { text = Korean + "!" }).WithIfMatch(locked.Version));
        await edit.AssertProblemAsync(HttpStatusCode.Conflict, "minutes-locked");
        var comment = await fixture.CnMemberClient().SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/comments", new { text = "추가 의견" }).WithIfMatch(locked.Version));
        await comment.AssertProblemAsync(HttpStatusCode.Conflict, "minutes-locked");

        // The API's check: both signatures hold, each with its party's published current key.
        var verification = await VerifyAsync(fixture.KrCoChairClient(), minutes.Id);
        Assert.True(verification.Verified);
        Assert.True(verification.TextsMatch);
        foreach (var party in new[] { "KR", "CN" })
        {
            var keys = await (await fixture.KrMemberClient().GetAsync($"/api/parties/{party}/signing-keys")).ReadAsync<PagedList<PartySigningKeyView>>();
            var current = Assert.Single(keys.Items, k => k.Current);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----", current.PublicKeyPem);
            Assert.Equal(current.KeyId, verification.Signatures.Single(s => s.Party == party).KeyId);
            Assert.True(File.Exists(Path.Combine(fixture.KeyFolder, party, current.KeyId + ".pem")), $"{party}'s private key is in its key folder");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.KeyFolder, party, current.KeyId + ".pem")));
            }
        }

        // The bundle: sha256sum and the verifier accept it from the folder alone; one changed byte and both refuse.
        var folder = await BundleAsync(fixture.CnCoChairClient(), minutes.Id);
        try
        {
            Assert.Equal(0, Run("sha256sum", "-c SHA256SUMS", folder));
            Assert.Equal(Verifier.Verified, Verifier.Run(folder, TextWriter.Null));
            Assert.Equal(Chinese + "。", await File.ReadAllTextAsync(Path.Combine(folder, "minutes.zh-Hans.txt")));
            Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("PRIVATE KEY"));

            var text = Path.Combine(folder, "minutes.ko.txt");
            var bytes = await File.ReadAllBytesAsync(text);
            bytes[^1] ^= 0x01;
            await File.WriteAllBytesAsync(text, bytes);
            Assert.NotEqual(0, Run("sha256sum", "-c SHA256SUMS", folder));
            Assert.Equal(Verifier.NotVerified, Verifier.Run(folder, TextWriter.Null));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // A correction is a new record naming the signed one; asking again answers with the same.
        var correction = await fixture.KrMemberClient().PostAsync($"/api/minutes/{minutes.Id}/correction", null);
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        var corrected = await correction.ReadAsync<MinutesView>();
        Assert.Equal(minutes.Id, corrected.CorrectionOf);
        Assert.Equal(MinutesStatus.Draft, corrected.Status);
        var retried = await fixture.CnMemberClient().PostAsync($"/api/minutes/{minutes.Id}/correction", null);
        Assert.Equal(corrected.Id, (await retried.ReadAsync<MinutesView>()).Id);
        Assert.Equal(corrected.Id, (await (await fixture.KrMemberClient().GetAsync($"/api/minutes/{minutes.Id}")).ReadAsync<MinutesView>()).CorrectedBy);
    }

    [Fact]
    public async Task Only_the_co_chair_signs_and_only_with_a_second_factor_of_the_last_minutes()
    {
        var (_, minutes) = await AgreedMinutesAsync();
        HttpRequestMessage Sign() => Requests.Post($"/api/minutes/{minutes.Id}/signature").WithIfMatch(minutes.Version);

        var member = await fixture.KrMemberClient().SendAsync(Sign());
        await member.AssertProblemAsync(HttpStatusCode.Forbidden, "not-co-chair");

        var (coChair, _) = await CommitteeApp.Identity.PersonAsync(fixture.Name("kr-cochair"), "KR", CommitteeApiFixture.CoChairRoles);
        var longAgo = await Minting.ForAsync(CommitteeApp.Identity, coChair, CommitteeModule.Audience, CommitteeApp.Scope);
        longAgo.Claims["amr"] = "mfa";
        longAgo.Claims["auth_time"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var stale = await fixture.App.ClientWithToken(longAgo.Token()).SendAsync(Sign());
        await stale.AssertProblemAsync(HttpStatusCode.Forbidden, "second-factor-required");

        var passwordOnly = longAgo with { Claims = new(longAgo.Claims) { ["amr"] = "pwd", ["auth_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() } };
        var withoutFactor = await fixture.App.ClientWithToken(passwordOnly.Token()).SendAsync(Sign());
        await withoutFactor.AssertProblemAsync(HttpStatusCode.Forbidden, "second-factor-required");

        var unchanged = await (await fixture.KrMemberClient().GetAsync($"/api/minutes/{minutes.Id}")).ReadAsync<MinutesView>();
        Assert.Empty(unchanged.Signatures);
        Assert.Equal(minutes.Version, unchanged.Version);

        var signed = await SignAsync(await KrCoChairFreshAsync(), minutes);
        Assert.Equal("KR", Assert.Single(signed.Signatures).Party);
        var twice = await (await KrCoChairFreshAsync()).SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/signature").WithIfMatch(signed.Version));
        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "already-signed");
    }

    [Fact]
    public async Task Minutes_reach_beyond_the_delegations_only_when_both_parties_release_them()
    {
        var (meetingId, minutes) = await AgreedMinutesAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.KrOutsiderClient().GetAsync($"/api/minutes/{minutes.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.KrAdministrator().GetAsync($"/api/minutes/{minutes.Id}/verification")).StatusCode);
        Assert.Empty((await (await fixture.KrOutsiderClient().GetAsync($"/api/meetings/{meetingId}/minutes")).ReadAsync<PagedList<MinutesSummary>>()).Items);
        var outsiderWrite = await fixture.KrOutsiderClient().SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/comments", new { text = "의견" }).WithIfMatch(minutes.Version));
        Assert.Equal(HttpStatusCode.NotFound, outsiderWrite.StatusCode);

        var locked = await SignAsync(await CnCoChairFreshAsync(), await SignAsync(await KrCoChairFreshAsync(), minutes));
        var krRelease = await fixture.KrCoChairClient().SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/release").WithIfMatch(locked.Version));
        var krReleased = await krRelease.ReadAsync<MinutesView>();
        Assert.False(krReleased.Released);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.KrOutsiderClient().GetAsync($"/api/minutes/{minutes.Id}")).StatusCode);

        var cnRelease = await fixture.CnCoChairClient().SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/release").WithIfMatch(krReleased.Version));
        Assert.True((await cnRelease.ReadAsync<MinutesView>()).Released);
        var seen = await fixture.KrOutsiderClient().GetAsync($"/api/minutes/{minutes.Id}");
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.True((await VerifyAsync(fixture.KrAdministrator(), minutes.Id)).Verified);
        Assert.Equal(minutes.Id, Assert.Single((await (await fixture.KrOutsiderClient().GetAsync($"/api/meetings/{meetingId}/minutes")).ReadAsync<PagedList<MinutesSummary>>()).Items).Id);
    }

    [Fact]
    public async Task A_party_rotates_only_its_own_key_and_what_the_old_key_signed_still_verifies()
    {
        var (_, minutes) = await AgreedMinutesAsync();
        var locked = await SignAsync(await CnCoChairFreshAsync(), await SignAsync(await KrCoChairFreshAsync(), minutes));
        var before = await KeysAsync("KR");
        var oldKey = Assert.Single(before, k => k.Current);

        var cnAdministrator = await fixture.App.FreshClientForAsync(fixture.Name("cn-admin"), "CN", HotlineRoles.Administrator);
        Assert.Equal(HttpStatusCode.NotFound, (await cnAdministrator.PostAsync("/api/parties/KR/signing-keys", null)).StatusCode);
        var rotated = await (await fixture.App.FreshClientForAsync(fixture.Name("kr-admin"), "KR", HotlineRoles.Administrator)).PostAsync("/api/parties/KR/signing-keys", null);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var newKey = await rotated.ReadAsync<PartySigningKeyView>();
        Assert.NotEqual(oldKey.KeyId, newKey.KeyId);

        var after = await KeysAsync("KR");
        Assert.Equal(newKey.KeyId, Assert.Single(after, k => k.Current).KeyId);
        Assert.NotNull(after.Single(k => k.KeyId == oldKey.KeyId).ValidUntil);
        Assert.Equal(1, await fixture.App.InDatabase(db => db.PartySigningKeys.CountAsync(k => k.Party == "KR" && k.ValidUntil == null)));

        var verification = await VerifyAsync(fixture.CnMemberClient(), locked.Id);
        Assert.True(verification.Verified);
        Assert.Equal(oldKey.KeyId, verification.Signatures.Single(s => s.Party == "KR").KeyId);
        Assert.True(verification.Signatures.Single(s => s.Party == "KR").KeyValidWhenSigned);
    }

    private Task<HttpClient> KrCoChairFreshAsync() =>
        fixture.App.FreshClientForAsync(fixture.Name("kr-cochair"), "KR", CommitteeApiFixture.CoChairRoles);

    [Fact]
    public async Task Signed_minutes_print_to_HTML_and_PDF_with_both_texts_and_their_hashes_and_nothing_of_a_partys_own()
    {
        var (meetingId, minutes) = await AgreedMinutesAsync();
        var item = await CommitteeApiFixture.ProposeAsync(fixture.KrMemberClient(), meetingId);
        var secret = $"KR floor price {Guid.NewGuid():N}"[..24];
        var position = await fixture.KrMemberClient().SendAsync(
            Requests.Put($"/api/agenda-items/{item.Id}/positions/mine", new { text = secret, visibility = "Internal" }).WithIfMatch(item.Version));
        Assert.True(position.IsSuccessStatusCode, await position.Content.ReadAsStringAsync());
        await (await fixture.KrMemberClient().GetAsync($"/api/minutes/{minutes.Id}/pdf")).AssertProblemAsync(HttpStatusCode.Conflict, "not-locked");

        var locked = await SignAsync(await CnCoChairFreshAsync(), await SignAsync(await KrCoChairFreshAsync(), minutes));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.KrOutsiderClient().GetAsync($"/api/minutes/{minutes.Id}/pdf")).StatusCode); // not released

        // Printed once, when the second signature locked them, and kept: a reader gets that PDF.
        await CommitteeApiFixture.EventuallyAsync(
            () => fixture.App.InDatabase(db => db.KeptPdfs.AnyAsync(p => p.MinutesId == minutes.Id)), "the locked minutes' PDF kept");
        var kept = await fixture.App.InDatabase(db => db.KeptPdfs.Where(p => p.MinutesId == minutes.Id).Select(p => p.Pdf).SingleAsync());

        var html = await fixture.CnMemberClient().GetAsync($"/api/minutes/{minutes.Id}/document");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var page = await html.Content.ReadAsStringAsync();
        var pdf = await fixture.CnMemberClient().GetAsync($"/api/minutes/{minutes.Id}/pdf");
        Assert.True(pdf.IsSuccessStatusCode, await pdf.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal(kept, bytes);
        using var document = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var printed = string.Concat(document.GetPages().Select(p => p.Text));

        foreach (var (name, text) in new[] { ("HTML", WebUtility.HtmlDecode(page)), ("PDF", printed) })
        {
            var letters = WithoutSpaces(text);
            Assert.Contains(WithoutSpaces(Korean), letters);
            Assert.Contains(WithoutSpaces(Chinese), letters);
            foreach (var hash in locked.Texts.Select(t => t.Sha256))
            {
                Assert.True(letters.Contains(hash, StringComparison.Ordinal), $"{name} lacks the hash {hash}");
            }

            foreach (var signature in locked.Signatures)
            {
                Assert.Contains(signature.KeyId, letters);
            }

            Assert.DoesNotContain(WithoutSpaces(secret), letters); // a party's Internal position is no part of the record
            Assert.DoesNotContain("第二段请补充库存天数", letters); // nor are the review's remarks
        }

        Assert.Contains("<section class=\"column\" lang=\"ko\">", page);
        Assert.True(document.NumberOfPages >= 1);
    }

    /// <summary>
    /// The letters without spaces or line breaks, NFKC-normalised: Chromium's PDF maps a glyph that
    /// Noto CJK shares between a Kangxi radical and an ideograph (⼟ and 土) to the radical's code point.
    /// </summary>
    private static string WithoutSpaces(string text) => string.Concat(text.Normalize(System.Text.NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c)));

    private Task<HttpClient> CnCoChairFreshAsync() =>
        fixture.App.FreshClientForAsync(fixture.Name("cn-cochair"), "CN", CommitteeApiFixture.CoChairRoles);

    /// <summary>A meeting in session, and its minutes written in ko, zh-Hans and en, reviewed and agreed by both parties.</summary>
    private async Task<(Guid MeetingId, MinutesView Minutes)> AgreedMinutesAsync()
    {
        var (meetingId, minutes) = await fixture.MinutesInReviewAsync();
        Assert.Equal(["ko", "zh-Hans"], minutes.Languages.Order(StringComparer.Ordinal));
        Assert.False(minutes.Texts.Single(t => t.Language == "en").Authentic);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CommitteeApiFixture.MinutesInKorean))),
            minutes.Texts.Single(t => t.Language == "ko").Sha256);
        var again = await fixture.CnMemberClient().PostAsync($"/api/meetings/{meetingId}/minutes", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(minutes.Id, (await again.ReadAsync<MinutesView>()).Id);

        var commented = await fixture.CnMemberClient().SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/comments", new { text = "第二段请补充库存天数。" }).WithIfMatch(minutes.Version));
        Assert.True(commented.IsSuccessStatusCode, await commented.Content.ReadAsStringAsync());
        minutes = await commented.ReadAsync<MinutesView>();
        return (meetingId, await AgreeByBothAsync(minutes));
    }

    private async Task<MinutesView> AgreeByBothAsync(MinutesView minutes)
    {
        foreach (var client in new[] { fixture.KrCoChairClient(), fixture.CnCoChairClient() })
        {
            var agreed = await client.SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/agreement").WithIfMatch(minutes.Version));
            Assert.True(agreed.IsSuccessStatusCode, await agreed.Content.ReadAsStringAsync());
            minutes = await agreed.ReadAsync<MinutesView>();
        }

        Assert.Equal(MinutesStatus.Agreed, minutes.Status);
        return minutes;
    }

    private static async Task<MinutesView> SignAsync(HttpClient coChair, MinutesView minutes)
    {
        var signed = await coChair.SendAsync(Requests.Post($"/api/minutes/{minutes.Id}/signature").WithIfMatch(minutes.Version));
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        return await signed.ReadAsync<MinutesView>();
    }

    private static async Task<MinutesVerification> VerifyAsync(HttpClient client, Guid minutesId)
    {
        var response = await client.GetAsync($"/api/minutes/{minutesId}/verification");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<MinutesVerification>();
    }

    private async Task<IReadOnlyList<PartySigningKeyView>> KeysAsync(string party) =>
        (await (await fixture.KrMemberClient().GetAsync($"/api/parties/{party}/signing-keys")).ReadAsync<PagedList<PartySigningKeyView>>()).Items;

    private static async Task<string> BundleAsync(HttpClient client, Guid minutesId)
    {
        var response = await client.GetAsync($"/api/minutes/{minutesId}/bundle");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var folder = Path.Combine(Path.GetTempPath(), $"minutes-bundle-{Guid.NewGuid():N}");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        zip.ExtractToDirectory(folder);
        return folder;
    }

    private static int Run(string program, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
