using System.Text;

namespace HotlineSystem.Committee.Signing;

/// <summary>
/// The export bundle of signed minutes: a folder that either government can check without the
/// system — the texts as UTF-8 files, SHA256SUMS for <c>sha256sum -c</c>, the COSE record, both
/// parties' public keys and a README. The layout is docs/minutes-bundle.md; the verifier
/// (src/Tools/HotlineSystem.MinutesVerifier) reads what this writes.
/// </summary>
public static class MinutesBundle
{
    public const string RecordFile = "minutes.cose";
    public const string SumsFile = "SHA256SUMS";
    public const string ReadmeFile = "README.txt";
    public const string KeysFolder = "keys";

    private const string TextPrefix = "minutes.";
    private const string TextSuffix = ".txt";

    /// <summary>minutes.ko.txt, minutes.zh-Hans.txt, minutes.en.txt.</summary>
    public static string TextFileName(string language) => TextPrefix + language + TextSuffix;

    /// <summary>The language of a text file's name, or null if the name is not one of a text.</summary>
    public static string? LanguageOf(string fileName) =>
        fileName.Length > TextPrefix.Length + TextSuffix.Length
            && fileName.StartsWith(TextPrefix, StringComparison.Ordinal) && fileName.EndsWith(TextSuffix, StringComparison.Ordinal)
            && fileName[TextPrefix.Length..^TextSuffix.Length] is var language && MinutesDigest.IsLanguageTag(language)
            ? language
            : null;

    /// <summary>keys/KR.pem: the file name is the party code.</summary>
    public static string KeyFileName(string party) => party + ".pem";

    /// <summary>
    /// Writes the bundle into <paramref name="directory"/>, which must be new or empty (a file left
    /// from another export would be taken for part of this one). The texts must be the ones the record
    /// covers, byte for byte; the signatures are not checked here.
    /// </summary>
    public static async Task WriteAsync(
        string directory,
        IEnumerable<(string Language, string Text)> texts,
        byte[] record,
        IEnumerable<PartyKey> keys,
        CancellationToken cancellationToken = default)
    {
        var content = MinutesSignatures.ContentOf(record);
        var files = texts.Select(t => (t.Language, Bytes: MinutesDigest.BytesOf(t.Text))).ToList();
        RequireTextsOf(content, files);

        var partyKeys = keys.ToList();
        if (partyKeys.Count == 0 || partyKeys.GroupBy(k => k.Party).Any(g => g.Count() > 1))
        {
            throw new ArgumentException("A bundle holds one public key per party, at least one.", nameof(keys));
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"The folder for the bundle is not empty: {directory}");
        }

        Directory.CreateDirectory(Path.Combine(directory, KeysFolder));
        foreach (var (language, bytes) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, TextFileName(language)), bytes, cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, SumsFile), Sums(content), cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(directory, RecordFile), record, cancellationToken);
        foreach (var key in partyKeys)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, KeysFolder, KeyFileName(key.Party)), key.ExportPem(), cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, ReadmeFile), Readme(content, partyKeys), cancellationToken);
    }

    /// <summary>SHA256SUMS as <c>sha256sum</c> writes it: "hash, two spaces, file name", one per line, by file name.</summary>
    public static string Sums(MinutesDigest content)
    {
        var sums = new StringBuilder();
        foreach (var text in content.Texts.OrderBy(t => TextFileName(t.Language), StringComparer.Ordinal))
        {
            sums.Append(text.Sha256).Append("  ").Append(TextFileName(text.Language)).Append('\n');
        }

        return sums.ToString();
    }

    /// <summary>
    /// Reads SHA256SUMS back into file name → hash. <see cref="FormatException"/> on a line that is
    /// not "64 hex digits, space, space or '*', file name", or a file listed twice.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadSums(string sums)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in sums.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length < 67 || !line[..64].All(char.IsAsciiHexDigit) || line[64] != ' ' || line[65] is not (' ' or '*'))
            {
                throw new FormatException($"Not a line of {SumsFile}: '{line}'");
            }

            if (!hashes.TryAdd(line[66..], line[..64].ToLowerInvariant()))
            {
                throw new FormatException($"{line[66..]} is listed twice in {SumsFile}.");
            }
        }

        return hashes;
    }

    private static void RequireTextsOf(MinutesDigest content, IReadOnlyList<(string Language, byte[] Bytes)> files)
    {
        var languages = files.Select(f => f.Language).Order(StringComparer.Ordinal);
        if (!languages.SequenceEqual(content.Texts.Select(t => t.Language)))
        {
            throw new ArgumentException(
                $"The texts ({string.Join(", ", languages)}) are not the languages the record covers ({string.Join(", ", content.Texts.Select(t => t.Language))}).",
                "texts");
        }

        foreach (var (language, bytes) in files)
        {
            if (MinutesDigest.Sha256Of(bytes) != content.TextIn(language)!.Sha256)
            {
                throw new ArgumentException($"The text in '{language}' is not the one the record covers.", "texts");
            }
        }
    }

    private static string Readme(MinutesDigest content, IReadOnlyList<PartyKey> keys)
    {
        var parties = string.Join(" and ", keys.Select(k => k.Party));
        var readme = new StringBuilder();
        readme.Append($"""
            Signed minutes of the joint committee
            =====================================

            Minutes {content.MinutesId}, version {content.Version}, with the signatures of the
            co-chairs of {parties}. Everything needed to check them is in this folder; nothing here
            asks you to trust the hotline system.

            Files
            -----


            """);
        foreach (var text in content.Texts)
        {
            var standing = text.Authentic ? "authentic" : "reference only, not authentic";
            readme.Append($"  {TextFileName(text.Language),-24} the text in '{text.Language}' ({standing}), UTF-8\n");
        }

        readme.Append($"  {SumsFile,-24} the SHA-256 of each text\n");
        readme.Append($"  {RecordFile,-24} the signed record (COSE_Sign, RFC 9052)\n");
        foreach (var key in keys)
        {
            readme.Append($"  {KeysFolder + "/" + KeyFileName(key.Party),-24} {key.Party}'s public key (ECDSA P-256), key id {key.KeyId}\n");
        }

        readme.Append($"  {ReadmeFile,-24} this file\n");
        readme.Append($$$"""

            How to check
            ------------

            1. The texts are the signed ones:

                 sha256sum -c {{{SumsFile}}}

               The record holds the same hashes (step 3); the verifier (step 4) checks that this list
               is theirs, so an edited list does not pass.

            2. The public keys are the parties' own: compare each key id above with the one the party
               publishes. A key id is base64url of the first 16 bytes of SHA-256 of the key's DER form:

                 openssl pkey -pubin -in {{{KeysFolder}}}/{{{KeyFileName(keys[0].Party)}}} -outform DER | openssl dgst -sha256 -binary \
                   | head -c 16 | basenc --base64url | tr -d '='

            3. The record is a COSE_Sign message whose content is canonical CBOR:

                 {"format": "{{{MinutesDigest.Format}}}", "minutes": <16-byte id, RFC 4122 order>,
                  "version": <n>, "texts": {<language>: {"sha256": <32 bytes>, "authentic": <bool>}, ...}}

               It holds one signature per party, ES256 (ECDSA P-256 with SHA-256), whose protected
               headers are alg (-7), kid (the key id above, UTF-8) and "party" (the party code). Any
               COSE library can check them with the keys in keys/.

            4. Or run the verifier of the hotline system's source, which does steps 1 and 3 and
               checks that every party with a key in keys/ has signed:

                 dotnet run --project src/Tools/HotlineSystem.MinutesVerifier -- <this folder>

            """);
        return readme.ToString();
    }
}
