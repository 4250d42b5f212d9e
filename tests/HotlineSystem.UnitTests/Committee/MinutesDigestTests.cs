using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using HotlineSystem.Committee.Signing;

namespace HotlineSystem.UnitTests.Committee;

public sealed class MinutesDigestTests
{
    private static readonly byte[] Canonical = AgreedMinutes.Digest.Encode();

    [Fact]
    public void The_encoding_is_the_same_whatever_order_the_texts_come_in()
    {
        var reversed = MinutesDigest.From(AgreedMinutes.MinutesId, 1, Enumerable.Reverse(AgreedMinutes.Texts));
        var shuffled = MinutesDigest.From(AgreedMinutes.MinutesId, 1, [AgreedMinutes.Texts[1], AgreedMinutes.Texts[2], AgreedMinutes.Texts[0]]);

        Assert.Equal(Convert.ToHexString(Canonical), Convert.ToHexString(reversed.Encode()));
        Assert.Equal(Convert.ToHexString(Canonical), Convert.ToHexString(shuffled.Encode()));
        Assert.Equal(Convert.ToHexString(Canonical), Convert.ToHexString(AgreedMinutes.Digest.Encode()));
    }

    [Fact]
    public void A_text_is_hashed_as_its_utf8_bytes_without_a_byte_order_mark()
    {
        var digest = MinutesDigest.From(AgreedMinutes.MinutesId, 1, [("en", "abc", false), ("ko", AgreedMinutes.Korean, true)]);

        // FIPS 180-2's example: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest.TextIn("en")!.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new UTF8Encoding(false).GetBytes(AgreedMinutes.Korean))), digest.TextIn("ko")!.Sha256);
    }

    [Fact]
    public void The_encoding_is_a_canonical_cbor_map_of_format_minutes_version_and_texts()
    {
        var reader = new CborReader(Canonical, CborConformanceMode.Canonical);

        Assert.Equal(4, reader.ReadStartMap());
        Assert.Equal("texts", reader.ReadTextString());
        Assert.Equal(3, reader.ReadStartMap());
        Assert.Equal("en", reader.ReadTextString());
        reader.SkipValue();
        Assert.Equal("ko", reader.ReadTextString());
        Assert.Equal(2, reader.ReadStartMap());
        Assert.Equal("sha256", reader.ReadTextString());
        Assert.Equal(AgreedMinutes.Digest.TextIn("ko")!.Sha256, Convert.ToHexStringLower(reader.ReadByteString()));
        Assert.Equal("authentic", reader.ReadTextString());
        Assert.True(reader.ReadBoolean());
        reader.ReadEndMap();
        Assert.Equal("zh-Hans", reader.ReadTextString());
        reader.SkipValue();
        reader.ReadEndMap();
        Assert.Equal("format", reader.ReadTextString());
        Assert.Equal("hotline-minutes/1", reader.ReadTextString());
        Assert.Equal("minutes", reader.ReadTextString());
        Assert.Equal("0b8f6c1e52a44d7b9f3e6a1d2c3b4e5f", Convert.ToHexStringLower(reader.ReadByteString()));
        Assert.Equal("version", reader.ReadTextString());
        Assert.Equal(1u, reader.ReadUInt32());
        reader.ReadEndMap();
        Assert.Equal(0, reader.BytesRemaining);
    }

    [Fact]
    public void Decoding_gives_back_the_same_minutes()
    {
        var decoded = MinutesDigest.Decode(Canonical);

        Assert.Equal(AgreedMinutes.Digest, decoded);
        Assert.Equal(AgreedMinutes.MinutesId, decoded.MinutesId);
        Assert.Equal(1, decoded.Version);
        Assert.False(decoded.TextIn("en")!.Authentic);
        Assert.True(decoded.TextIn("zh-Hans")!.Authentic);
    }

    [Fact]
    public void One_changed_character_changes_the_digest()
    {
        var corrected = AgreedMinutes.Texts.Select(t => t.Language == "zh-Hans" ? (t.Language, t.Text.Replace("30天", "31天"), t.Authentic) : t);

        var digest = MinutesDigest.From(AgreedMinutes.MinutesId, 1, corrected);

        Assert.NotEqual(AgreedMinutes.Digest, digest);
        Assert.NotEqual(AgreedMinutes.Digest.TextIn("zh-Hans"), digest.TextIn("zh-Hans"));
        Assert.Equal(AgreedMinutes.Digest.TextIn("ko"), digest.TextIn("ko"));
    }

    public static TheoryData<string, byte[]> NotMinutesContent() => new()
    {
        { "keys out of canonical order", Write(CborConformanceMode.Lax, w => WriteFields(w, ["format", "minutes", "version", "texts"])) },
        { "an indefinite-length map", Write(CborConformanceMode.Lax, w => WriteFields(w, ["texts", "format", "minutes", "version"], indefinite: true)) },
        { "an unknown field", Write(CborConformanceMode.Canonical, w => WriteFields(w, ["texts", "format", "minutes", "version", "signedAt"])) },
        { "a missing field", Write(CborConformanceMode.Canonical, w => WriteFields(w, ["texts", "format", "minutes"])) },
        { "another format", Write(CborConformanceMode.Canonical, w => WriteFields(w, ["texts", "format", "minutes", "version"], format: "hotline-minutes/2")) },
        { "the version in a longer form than needed", LongVersion() },
        { "a byte after the map", [.. Canonical, 0x00] },
        { "the last byte cut off", Canonical[..^1] },
        { "a hash of 31 bytes", Write(CborConformanceMode.Canonical, w => WriteFields(w, ["texts", "format", "minutes", "version"], hashLength: 31)) },
    };

    [Theory]
    [MemberData(nameof(NotMinutesContent))]
    public void Decoding_refuses_content_that_is_not_exactly_minutes_in_canonical_form(string why, byte[] encoded)
    {
        var refusal = Assert.Throws<FormatException>(() => MinutesDigest.Decode(encoded));
        Assert.False(string.IsNullOrEmpty(refusal.Message), why);
    }

    [Fact]
    public void A_language_given_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MinutesDigest.From(AgreedMinutes.MinutesId, 1, [("ko", "가", true), ("KO", "나", true)]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("../ko")]
    [InlineData("ko/zh")]
    [InlineData("ko-")]
    public void A_language_that_is_no_tag_is_refused(string language)
    {
        Assert.Throws<ArgumentException>(() => MinutesDigest.From(AgreedMinutes.MinutesId, 1, [(language, "text", true)]));
    }

    private static byte[] Write(CborConformanceMode mode, Action<CborWriter> write)
    {
        var writer = new CborWriter(mode, convertIndefiniteLengthEncodings: false);
        write(writer);
        return writer.Encode();
    }

    /// <summary>The digest's fields in the order given, as a writer of another conformance would put them.</summary>
    private static void WriteFields(CborWriter writer, string[] fields, bool indefinite = false, string format = MinutesDigest.Format, int hashLength = 32)
    {
        writer.WriteStartMap(indefinite ? null : fields.Length);
        foreach (var field in fields)
        {
            writer.WriteTextString(field);
            switch (field)
            {
                case "format":
                    writer.WriteTextString(format);
                    break;
                case "minutes":
                    writer.WriteByteString(AgreedMinutes.MinutesId.ToByteArray(bigEndian: true));
                    break;
                case "version":
                    writer.WriteUInt32(1);
                    break;
                case "texts":
                    writer.WriteStartMap(1);
                    writer.WriteTextString("ko");
                    writer.WriteStartMap(2);
                    writer.WriteTextString("sha256");
                    writer.WriteByteString(new byte[hashLength]);
                    writer.WriteTextString("authentic");
                    writer.WriteBoolean(true);
                    writer.WriteEndMap();
                    writer.WriteEndMap();
                    break;
                default:
                    writer.WriteTextString("2026-03-15T03:00:00Z");
                    break;
            }
        }

        writer.WriteEndMap();
    }

    /// <summary>Version 1 as a one-byte argument (0x18 0x01) where canonical CBOR has it in the head (0x01).</summary>
    private static byte[] LongVersion()
    {
        byte[] key = [0x67, .. "version"u8];
        var at = Canonical.AsSpan().IndexOf(key) + key.Length;
        Assert.Equal((byte)0x01, Canonical[at]);
        return [.. Canonical[..at], 0x18, 0x01, .. Canonical[(at + 1)..]];
    }
}
