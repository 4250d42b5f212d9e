using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;

namespace HotlineSystem.Committee.Signing;

/// <summary>
/// One language version as the co-chairs sign it: its language tag, the SHA-256 of its exact text
/// (lower-case hex, as <c>sha256sum</c> prints it) and whether it is authentic (the English
/// reference is not).
/// </summary>
public sealed record TextDigest(string Language, string Sha256, bool Authentic);

/// <summary>
/// What the co-chairs sign: which minutes, which version, and the SHA-256 of every language
/// version's exact text. Signing hashes rather than texts keeps the record small and lets anyone
/// check a text with <c>sha256sum</c>; the canonical CBOR encoding gives both parties, and any
/// outside tool, the same bytes for the same minutes, so a signature covers exactly one content.
/// </summary>
public sealed class MinutesDigest : IEquatable<MinutesDigest>
{
    /// <summary>The "format" field: a reader refuses content of another format or version of it.</summary>
    public const string Format = "hotline-minutes/1";

    // Strict: a text with a lone surrogate cannot be exported as the bytes that were hashed.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private MinutesDigest(Guid minutesId, int version, IEnumerable<TextDigest> texts)
    {
        if (minutesId == Guid.Empty)
        {
            throw new ArgumentException("Minutes need an id.", nameof(minutesId));
        }

        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Versions of minutes count from 1.");
        }

        var ordered = texts.OrderBy(t => t.Language, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            throw new ArgumentException("Minutes have at least one language version.", nameof(texts));
        }

        foreach (var text in ordered)
        {
            if (!IsLanguageTag(text.Language))
            {
                throw new ArgumentException($"'{text.Language}' is not a language tag such as ko, zh-Hans or en.", nameof(texts));
            }

            if (text.Sha256.Length != 64 || !text.Sha256.All(char.IsAsciiHexDigitLower))
            {
                throw new ArgumentException($"The SHA-256 of '{text.Language}' is not 64 lower-case hex digits.", nameof(texts));
            }
        }

        // Case-insensitive: the texts become files (minutes.ko.txt), and some file systems ignore case.
        if (ordered.GroupBy(t => t.Language, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The language '{twice.Key}' is given more than once.", nameof(texts));
        }

        MinutesId = minutesId;
        Version = version;
        Texts = ordered;
    }

    public Guid MinutesId { get; }

    public int Version { get; }

    /// <summary>The language versions, ordered by language tag (ordinal).</summary>
    public IReadOnlyList<TextDigest> Texts { get; }

    /// <summary>Hashes each text as UTF-8 without a byte order mark: the bytes <see cref="BytesOf"/> gives for export.</summary>
    public static MinutesDigest From(Guid minutesId, int version, IEnumerable<(string Language, string Text, bool Authentic)> texts) =>
        new(minutesId, version, texts.Select(t => new TextDigest(t.Language, Sha256Of(BytesOf(t.Text)), t.Authentic)).ToList());

    /// <summary>The exact bytes of a text that are hashed and exported: UTF-8, no byte order mark.</summary>
    public static byte[] BytesOf(string text) => Utf8.GetBytes(text);

    /// <summary>Lower-case hex SHA-256, as <c>sha256sum</c> prints it.</summary>
    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// A BCP 47-like tag that is also safe in a file name: letters first, then sub-tags of letters
    /// and digits joined by hyphens (ko, zh-Hans, en).
    /// </summary>
    public static bool IsLanguageTag(string? language)
    {
        if (string.IsNullOrEmpty(language))
        {
            return false;
        }

        var parts = language.Split('-');
        return parts[0] is { Length: >= 2 and <= 8 } primary && primary.All(char.IsAsciiLetter)
            && parts.Skip(1).All(p => p is { Length: >= 1 and <= 8 } && p.All(char.IsAsciiLetterOrDigit));
    }

    public TextDigest? TextIn(string language) => Texts.FirstOrDefault(t => t.Language == language);

    /// <summary>
    /// Canonical CBOR (RFC 7049 §3.9): {"format": "hotline-minutes/1", "minutes": id (16 bytes,
    /// RFC 4122 order), "version": n, "texts": {language: {"sha256": 32 bytes, "authentic": bool}}}.
    /// The writer sorts map keys, so the order the texts came in does not matter.
    /// </summary>
    public byte[] Encode()
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(4);
        writer.WriteTextString("format");
        writer.WriteTextString(Format);
        writer.WriteTextString("minutes");
        writer.WriteByteString(MinutesId.ToByteArray(bigEndian: true));
        writer.WriteTextString("version");
        writer.WriteUInt32((uint)Version);
        writer.WriteTextString("texts");
        writer.WriteStartMap(Texts.Count);
        foreach (var text in Texts)
        {
            writer.WriteTextString(text.Language);
            writer.WriteStartMap(2);
            writer.WriteTextString("sha256");
            writer.WriteByteString(Convert.FromHexString(text.Sha256));
            writer.WriteTextString("authentic");
            writer.WriteBoolean(text.Authentic);
            writer.WriteEndMap();
        }

        writer.WriteEndMap();
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>
    /// The reverse of <see cref="Encode"/>, strictly: every field present and none other, canonical
    /// form only, nothing after the map. Anything else is a <see cref="FormatException"/>, because
    /// content that two encoders could write differently is content two parties could read differently.
    /// </summary>
    public static MinutesDigest Decode(ReadOnlySpan<byte> encoded)
    {
        MinutesDigest digest;
        try
        {
            digest = Read(new CborReader(encoded.ToArray(), CborConformanceMode.Canonical));
        }
        catch (Exception exception) when (exception is CborContentException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new FormatException($"Not minutes content ({Format}): {exception.Message}", exception);
        }

        // The reader checks canonical form; comparing with a fresh encoding also holds decoding to exactly the bytes Encode writes.
        if (!digest.Encode().AsSpan().SequenceEqual(encoded))
        {
            throw new FormatException($"Not minutes content ({Format}): not in canonical form.");
        }

        return digest;
    }

    private static MinutesDigest Read(CborReader reader)
    {
        string? format = null;
        Guid? minutesId = null;
        int? version = null;
        List<TextDigest>? texts = null;

        var fields = reader.ReadStartMap() ?? throw new FormatException("An indefinite-length map is not canonical.");
        for (var i = 0; i < fields; i++)
        {
            switch (reader.ReadTextString())
            {
                case "format":
                    format = reader.ReadTextString();
                    break;
                case "minutes":
                    var id = reader.ReadByteString();
                    minutesId = id.Length == 16 ? new Guid(id, bigEndian: true) : throw new FormatException("The minutes id is not 16 bytes.");
                    break;
                case "version":
                    version = checked((int)reader.ReadUInt32());
                    break;
                case "texts":
                    texts = ReadTexts(reader);
                    break;
                case var unknown:
                    throw new FormatException($"Unknown field '{unknown}'.");
            }
        }

        reader.ReadEndMap();
        if (reader.BytesRemaining != 0)
        {
            throw new FormatException("Bytes follow the content.");
        }

        if (format != Format)
        {
            throw new FormatException($"The format is '{format}', not '{Format}'.");
        }

        if (minutesId is null || version is null || texts is null)
        {
            throw new FormatException("A field is missing: minutes, version and texts are all required.");
        }

        return new MinutesDigest(minutesId.Value, version.Value, texts);
    }

    private static List<TextDigest> ReadTexts(CborReader reader)
    {
        var texts = new List<TextDigest>();
        var count = reader.ReadStartMap() ?? throw new FormatException("An indefinite-length map is not canonical.");
        for (var i = 0; i < count; i++)
        {
            var language = reader.ReadTextString();
            byte[]? sha256 = null;
            bool? authentic = null;
            var fields = reader.ReadStartMap() ?? throw new FormatException("An indefinite-length map is not canonical.");
            for (var j = 0; j < fields; j++)
            {
                switch (reader.ReadTextString())
                {
                    case "sha256":
                        sha256 = reader.ReadByteString();
                        break;
                    case "authentic":
                        authentic = reader.ReadBoolean();
                        break;
                    case var unknown:
                        throw new FormatException($"Unknown field '{unknown}' in the text '{language}'.");
                }
            }

            reader.ReadEndMap();
            if (sha256 is not { Length: 32 } || authentic is null)
            {
                throw new FormatException($"The text '{language}' needs a 32-byte sha256 and authentic.");
            }

            texts.Add(new TextDigest(language, Convert.ToHexStringLower(sha256), authentic.Value));
        }

        reader.ReadEndMap();
        return texts;
    }

    public bool Equals(MinutesDigest? other) =>
        other is not null && MinutesId == other.MinutesId && Version == other.Version && Texts.SequenceEqual(other.Texts);

    public override bool Equals(object? obj) => Equals(obj as MinutesDigest);

    public override int GetHashCode() => HashCode.Combine(MinutesId, Version, Texts.Count);

    public override string ToString() => $"minutes {MinutesId} version {Version} ({string.Join(", ", Texts.Select(t => t.Language))})";
}
