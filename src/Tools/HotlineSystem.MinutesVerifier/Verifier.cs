using HotlineSystem.Committee.Signing;

namespace HotlineSystem.MinutesVerifier;

/// <summary>
/// Checks an export bundle of signed minutes from the bundle alone (docs/minutes-bundle.md): the
/// texts are the ones the record covers, and every party with a key in keys/ has a signature that
/// holds under that key. One line per check, so a reader sees what was checked, not only a verdict.
/// </summary>
public static class Verifier
{
    /// <summary>Every check holds.</summary>
    public const int Verified = 0;

    /// <summary>The bundle was read and at least one check fails.</summary>
    public const int NotVerified = 1;

    /// <summary>Not a bundle: no folder, no record, or no usable public keys.</summary>
    public const int Unusable = 2;

    public const string Usage = "usage: HotlineSystem.MinutesVerifier <bundle-folder>\n"
        + "Checks signed minutes exported from the hotline system (docs/minutes-bundle.md).\n"
        + "Exit code: 0 verified, 1 a check fails, 2 not a usable bundle.";

    public static int Run(string directory, TextWriter output)
    {
        byte[] record;
        IReadOnlyList<PartyKey> keys;
        try
        {
            if (!Directory.Exists(directory))
            {
                return Refuse(output, $"no folder {directory}");
            }

            var recordPath = Path.Combine(directory, MinutesBundle.RecordFile);
            if (!File.Exists(recordPath))
            {
                return Refuse(output, $"no {MinutesBundle.RecordFile} in the folder");
            }

            record = File.ReadAllBytes(recordPath);
            keys = ReadKeys(directory);
            if (keys.Count == 0)
            {
                return Refuse(output, $"no public keys in {MinutesBundle.KeysFolder}/");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return Refuse(output, exception.Message);
        }

        var report = new Report(output);
        try
        {
            foreach (var key in keys)
            {
                report.Check(true, $"{KeyPath(key.Party)}: {key.Party}'s public key, key id {key.KeyId}");
            }

            // A joint committee has two co-chairs; with fewer keys, a bundle could drop a party and its signature unnoticed.
            report.Check(keys.Count >= 2, $"{MinutesBundle.KeysFolder}/: keys of {keys.Count} part{(keys.Count == 1 ? "y" : "ies")}, a joint committee needs both");

            VerificationResult result;
            try
            {
                result = MinutesSignatures.Verify(record, keys);
            }
            catch (FormatException exception)
            {
                report.Check(false, $"{MinutesBundle.RecordFile}: {exception.Message}");
                return report.Verdict(keys);
            }

            report.Check(true, $"{MinutesBundle.RecordFile}: {result.Content}");
            CheckTexts(directory, result.Content, report);
            CheckSums(directory, result.Content, report);
            CheckSignatures(result, keys, report);
            return report.Verdict(keys);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Refuse(output, exception.Message);
        }
    }

    private static void CheckTexts(string directory, MinutesDigest content, Report report)
    {
        foreach (var text in content.Texts)
        {
            var file = MinutesBundle.TextFileName(text.Language);
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                report.Check(false, $"{file}: missing, but the record covers '{text.Language}'");
                continue;
            }

            var sha256 = MinutesDigest.Sha256Of(File.ReadAllBytes(path));
            var standing = text.Authentic ? "authentic" : "reference, not authentic";
            report.Check(
                sha256 == text.Sha256,
                sha256 == text.Sha256
                    ? $"{file}: SHA-256 {sha256} as in the record ({standing})"
                    : $"{file}: SHA-256 {sha256}, but the record has {text.Sha256}");
        }

        foreach (var file in Directory.EnumerateFiles(directory, "minutes.*.txt").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            if (MinutesBundle.LanguageOf(file) is not { } language || content.TextIn(language) is null)
            {
                report.Check(false, $"{file}: a text the record does not cover");
            }
        }
    }

    private static void CheckSums(string directory, MinutesDigest content, Report report)
    {
        var path = Path.Combine(directory, MinutesBundle.SumsFile);
        if (!File.Exists(path))
        {
            report.Check(false, $"{MinutesBundle.SumsFile}: missing");
            return;
        }

        IReadOnlyDictionary<string, string> listed;
        try
        {
            listed = MinutesBundle.ReadSums(File.ReadAllText(path));
        }
        catch (FormatException exception)
        {
            report.Check(false, $"{MinutesBundle.SumsFile}: {exception.Message}");
            return;
        }

        var recorded = MinutesBundle.ReadSums(MinutesBundle.Sums(content));
        var same = listed.Count == recorded.Count && recorded.All(r => listed.TryGetValue(r.Key, out var hash) && hash == r.Value);
        report.Check(same, same
            ? $"{MinutesBundle.SumsFile}: lists the record's hashes"
            : $"{MinutesBundle.SumsFile}: does not list the record's hashes (sha256sum -c would check other texts)");
    }

    private static void CheckSignatures(VerificationResult result, IReadOnlyList<PartyKey> keys, Report report)
    {
        foreach (var signature in result.Signatures)
        {
            report.Check(signature.Holds, $"signature of {signature.Party ?? "?"} with key id {signature.KeyId ?? "?"}: {signature.Reason}");
        }

        foreach (var key in keys)
        {
            var signed = result.IsSignedBy(key.Party);
            report.Check(signed, signed
                ? $"{key.Party} has signed"
                : $"{key.Party} has not signed: no signature holds under {KeyPath(key.Party)}");
        }
    }

    /// <summary>keys/KR.pem → KR's key. A file there that is not a party's key makes the bundle unusable, not quietly smaller.</summary>
    private static List<PartyKey> ReadKeys(string directory)
    {
        var folder = Path.Combine(directory, MinutesBundle.KeysFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keys = new List<PartyKey>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var party = Path.GetFileNameWithoutExtension(path);
            if (Path.GetExtension(path) != ".pem" || !PartyKey.IsPartyCode(party))
            {
                throw new FormatException($"{MinutesBundle.KeysFolder}/{Path.GetFileName(path)}: not a party's key (a party code and .pem, e.g. KR.pem)");
            }

            try
            {
                keys.Add(PartyKey.FromPem(party, File.ReadAllText(path)));
            }
            catch (FormatException exception)
            {
                throw new FormatException($"{KeyPath(party)}: {exception.Message}", exception);
            }
        }

        return keys;
    }

    private static string KeyPath(string party) => $"{MinutesBundle.KeysFolder}/{MinutesBundle.KeyFileName(party)}";

    private static int Refuse(TextWriter output, string why)
    {
        output.WriteLine($"unusable: {why}");
        return Unusable;
    }

    /// <summary>Writes each check as it is made and counts those that fail.</summary>
    private sealed class Report(TextWriter output)
    {
        private int _checks;
        private int _failed;

        public void Check(bool holds, string line)
        {
            _checks++;
            _failed += holds ? 0 : 1;
            output.WriteLine((holds ? "ok    " : "FAIL  ") + line);
        }

        public int Verdict(IReadOnlyList<PartyKey> keys)
        {
            var parties = string.Join(" and ", keys.Select(k => k.Party));
            output.WriteLine(_failed == 0
                ? $"VERIFIED: the texts are the ones signed by {parties}"
                : $"NOT VERIFIED: {_failed} of {_checks} checks fail");
            return _failed == 0 ? Verified : NotVerified;
        }
    }
}
