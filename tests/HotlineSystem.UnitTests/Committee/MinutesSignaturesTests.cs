using HotlineSystem.Committee.Signing;

namespace HotlineSystem.UnitTests.Committee;

public sealed class MinutesSignaturesTests : IDisposable
{
    private readonly AgreedMinutes _minutes = new();

    [Fact]
    public void Both_co_chairs_sign_and_both_signatures_hold()
    {
        var record = _minutes.SignedByBoth();

        var result = MinutesSignatures.Verify(record, [_minutes.Korea, _minutes.China], expected: AgreedMinutes.Digest);

        Assert.True(result.Holds);
        Assert.True(result.ContentMatches);
        Assert.Equal(AgreedMinutes.Digest, result.Content);
        Assert.Collection(
            result.Signatures,
            korea => Assert.Equal(new SignatureCheck("KR", _minutes.Korea.KeyId, SignatureFault.None), korea),
            china => Assert.Equal(new SignatureCheck("CN", _minutes.China.KeyId, SignatureFault.None), china));
        Assert.True(result.IsSignedBy("KR"));
        Assert.True(result.IsSignedBy("CN"));
    }

    [Fact]
    public void A_signature_over_the_text_before_a_change_does_not_cover_the_changed_text()
    {
        var record = _minutes.SignedByKorea();
        var changed = AgreedMinutes.Texts.Select(t => t.Language == "ko" ? (t.Language, t.Text.Replace("30일", "31일"), t.Authentic) : t);
        var now = MinutesDigest.From(AgreedMinutes.MinutesId, 1, changed);

        var result = MinutesSignatures.Verify(record, [_minutes.Korea, _minutes.China], expected: now);

        Assert.NotEqual(AgreedMinutes.Digest, now);
        Assert.False(result.ContentMatches);
        Assert.False(result.Holds);
    }

    [Fact]
    public void Keys_given_to_the_wrong_parties_are_keys_of_another_party()
    {
        var record = _minutes.SignedByBoth();
        var swapped = new[]
        {
            PartyKey.Of("KR", _minutes.ChineseCoChairKey),
            PartyKey.Of("CN", _minutes.KoreanCoChairKey),
        };

        var result = MinutesSignatures.Verify(record, swapped);

        Assert.False(result.Holds);
        Assert.All(result.Signatures, s => Assert.Equal(SignatureFault.KeyOfAnotherParty, s.Fault));
        Assert.False(result.IsSignedBy("KR"));
        Assert.False(result.IsSignedBy("CN"));
    }

    [Fact]
    public void A_signature_made_with_the_other_partys_key_is_a_bad_signature()
    {
        var forged = AgreedMinutes.AddForgedSignature(_minutes.SignedByKorea(), "CN", _minutes.China.KeyId, _minutes.KoreanCoChairKey);

        var result = MinutesSignatures.Verify(forged, [_minutes.Korea, _minutes.China]);

        Assert.False(result.Holds);
        Assert.True(result.IsSignedBy("KR"));
        Assert.Equal(new SignatureCheck("CN", _minutes.China.KeyId, SignatureFault.BadSignature), result.Signatures[1]);
    }

    [Fact]
    public void A_party_signing_with_the_other_partys_key_is_caught_by_the_key_id()
    {
        // Korea's co-chair signs "as CN" with Korea's own key, naming that key honestly.
        var record = MinutesSignatures.AddSignature(_minutes.SignedByKorea(), "CN", _minutes.KoreanCoChairKey, _minutes.Korea.KeyId);

        var result = MinutesSignatures.Verify(record, [_minutes.Korea, _minutes.China]);

        Assert.Equal(new SignatureCheck("CN", _minutes.Korea.KeyId, SignatureFault.KeyOfAnotherParty), result.Signatures[1]);
        Assert.False(result.IsSignedBy("CN"));
    }

    [Fact]
    public void A_signature_under_a_key_not_given_is_an_unknown_key()
    {
        var result = MinutesSignatures.Verify(_minutes.SignedByBoth(), [_minutes.China]);

        Assert.Equal(new SignatureCheck("KR", _minutes.Korea.KeyId, SignatureFault.UnknownKey), result.Signatures[0]);
        Assert.True(result.Signatures[1].Holds);
        Assert.False(result.Holds);
    }

    [Fact]
    public void A_party_cannot_sign_twice()
    {
        var record = _minutes.SignedByBoth();

        var refusal = Assert.Throws<InvalidOperationException>(
            () => MinutesSignatures.AddSignature(record, "KR", _minutes.KoreanCoChairKey, _minutes.Korea.KeyId));
        Assert.Contains("KR", refusal.Message);
    }

    [Fact]
    public void Signing_under_the_key_id_of_another_key_is_refused()
    {
        Assert.Throws<ArgumentException>(
            () => MinutesSignatures.Sign(AgreedMinutes.Digest, "KR", _minutes.KoreanCoChairKey, _minutes.China.KeyId));
    }

    [Fact]
    public void A_changed_byte_in_the_record_breaks_a_signature_or_the_record()
    {
        var record = _minutes.SignedByBoth();
        var contentAt = record.AsSpan().IndexOf(AgreedMinutes.Digest.Encode());
        Assert.True(contentAt > 0);

        // The minutes id is the 16 bytes after "minutes" in the content.
        byte[] minutesKey = [0x67, .. "minutes"u8, 0x50];
        var idAt = contentAt + AgreedMinutes.Digest.Encode().AsSpan().IndexOf(minutesKey) + minutesKey.Length;
        var tampered = record.ToArray();
        tampered[idAt] ^= 0x01;

        var result = MinutesSignatures.Verify(tampered, [_minutes.Korea, _minutes.China]);

        Assert.NotEqual(AgreedMinutes.MinutesId, result.Content.MinutesId);
        Assert.All(result.Signatures, s => Assert.Equal(SignatureFault.BadSignature, s.Fault));
    }

    public void Dispose() => _minutes.Dispose();
}
