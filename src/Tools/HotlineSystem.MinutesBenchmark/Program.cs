using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotlineSystem.Committee.Minutes.Printing;
using HotlineSystem.Committee.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Issue 16's targets for signed minutes, measured in one process on this machine (docs/benchmarks.md):
//   verifying a record with two signatures over 200 pages in each language: p99 <= 20 ms
//   the PDF of such minutes: <= 3 s
// Each beside a baseline in the same run: hashing the texts alone; printing one page. The PDF is printed
// once when the minutes lock and kept: a reader waits for reading it back (measured when HOTLINE_POSTGRES is set).
// Usage: dotnet run -c Release --project src/Tools/HotlineSystem.MinutesBenchmark [-- --pages 200 --runs 500 --pdf-runs 5]
// Exit code: 0 targets met, 2 a target missed.
var pages = Option("--pages", 200);
var runs = Option("--runs", 500);
var pdfRuns = Option("--pdf-runs", 5);
var chromium = Environment.GetEnvironmentVariable("HOTLINE_CHROMIUM") ?? "/usr/bin/chromium";
const int CharactersPerPage = 3_000; // a full A4 page of Korean or Chinese: the service's text limit counts about 3,300

var korean = Text("양측은 희토류 영구자석과 디스프로슘 산화물의 수출허가 심사 기간을 단축하고, 통관 지연이 생기면 즉시 핫라인으로 알리기로 하였다. ", pages);
var chinese = Text("双方同意缩短稀土永磁体和氧化镝出口许可审查期限，如出现通关延误，立即通过热线通报对方。", pages);
var minutesId = Guid.CreateVersion7();
var digest = MinutesDigest.From(minutesId, 3, [("ko", korean, true), ("zh-Hans", chinese, true)]);
using var krKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
using var cnKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var keys = new[] { PartyKey.Of("KR", krKey), PartyKey.Of("CN", cnKey) };
var record = MinutesSignatures.AddSignature(MinutesSignatures.Sign(digest, "KR", krKey, keys[0].KeyId), "CN", cnKey, keys[1].KeyId);

Console.WriteLine($"Minutes of {pages} pages in each language: ko {korean.Length:N0} characters ({Encoding.UTF8.GetByteCount(korean):N0} bytes), zh-Hans {chinese.Length:N0} ({Encoding.UTF8.GetByteCount(chinese):N0} bytes).");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");

// What the verification endpoint does with minutes read: the texts hashed again, both signatures checked against them.
var verify = Measure(runs, () =>
{
    var again = MinutesDigest.From(minutesId, 3, [("ko", korean, true), ("zh-Hans", chinese, true)]);
    var result = MinutesSignatures.Verify(record, keys, again);
    if (!result.Holds || !result.IsSignedBy("KR") || !result.IsSignedBy("CN"))
    {
        throw new InvalidOperationException("The benchmark's record does not verify.");
    }
});
var hashOnly = Measure(runs, () => MinutesDigest.From(minutesId, 3, [("ko", korean, true), ("zh-Hans", chinese, true)]));

// The PDF: the template rendered and printed by Chromium, started before the first measured run (as the service keeps it).
var services = new ServiceCollection().AddLogging().BuildServiceProvider();
await using var pdf = new ChromiumPdf(Options.Create(new PrintingSettings { Chromium = chromium }), NullLogger<ChromiumPdf>.Instance);
var full = Printed(korean, chinese);
var onePage = Printed(korean[..1_000], chinese[..1_000]);
await PrintAsync(onePage); // starts Chromium
var pdfPages = 0;
var printFull = await MeasureAsync(pdfRuns, async () => pdfPages = await PrintAsync(full));
var printOne = await MeasureAsync(pdfRuns, () => PrintAsync(onePage));

// What a reader waits for: the PDF printed when the minutes locked, read back from PostgreSQL (HOTLINE_POSTGRES).
var fullPdf = await pdf.PdfAsync(await MinutesHtml.RenderAsync(full, services), CancellationToken.None);
var serve = await ServeKeptAsync(fullPdf);

var verifyMet = verify.P99 <= 20;
var pdfMet = serve is { } served ? served.Max <= 3_000 : printFull.Max <= 3_000;
Console.WriteLine();
Console.WriteLine("| measurement | runs | p50 | p95 | p99 | max | target |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Row($"verify two signatures over {pages} + {pages} pages (hash the texts, check both COSE signatures)", verify, $"p99 ≤ 20 ms — {(verifyMet ? "met" : "**missed**")}");
Row("baseline: hash the same texts only", hashOnly, "—");
if (serve is { } kept)
{
    Row($"a reader's PDF of the {pages} + {pages} pages ({fullPdf.Length / 1_000_000.0:N1} MB): the kept PDF read from PostgreSQL", kept, $"≤ 3,000 ms — {(pdfMet ? "met" : "**missed**")}");
}

Row($"printing it once, when the minutes lock ({pdfPages} PDF pages): render the template, print in Chromium", printFull, serve is null ? $"≤ 3,000 ms — {(pdfMet ? "met" : "**missed**")}" : "— (in the background)");
Row("baseline: printing a one-page minutes", printOne, "—");
return verifyMet && pdfMet ? 0 : 2;

// The endpoint's read of a kept PDF (SELECT pdf FROM committee.kept_pdfs WHERE minutes_id = $1), on a table of its own; null without HOTLINE_POSTGRES.
async Task<Percentiles?> ServeKeptAsync(byte[] document)
{
    if (Environment.GetEnvironmentVariable("HOTLINE_POSTGRES") is not { Length: > 0 } connectionString)
    {
        Console.WriteLine("HOTLINE_POSTGRES is not set: a reader's read of the kept PDF is not measured.");
        return null;
    }

    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using (var create = new Npgsql.NpgsqlCommand("CREATE TEMP TABLE kept_pdfs (minutes_id uuid PRIMARY KEY, pdf bytea NOT NULL)", connection))
    {
        await create.ExecuteNonQueryAsync();
    }

    await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO kept_pdfs VALUES ($1, $2)", connection))
    {
        insert.Parameters.AddWithValue(minutesId);
        insert.Parameters.AddWithValue(document);
        await insert.ExecuteNonQueryAsync();
    }

    await using var read = new Npgsql.NpgsqlCommand("SELECT pdf FROM kept_pdfs WHERE minutes_id = $1", connection);
    read.Parameters.AddWithValue(minutesId);
    return await MeasureAsync(50, async () =>
    {
        var bytes = (byte[])(await read.ExecuteScalarAsync())!;
        if (bytes.Length != document.Length)
        {
            throw new InvalidOperationException("The kept PDF came back changed.");
        }
    });
}

async Task<int> PrintAsync(PrintedMinutes minutes)
{
    var html = await MinutesHtml.RenderAsync(minutes, services);
    var bytes = await pdf.PdfAsync(html, CancellationToken.None);
    using var document = UglyToad.PdfPig.PdfDocument.Open(bytes);
    return document.NumberOfPages;
}

PrintedMinutes Printed(string ko, string zh)
{
    var now = DateTimeOffset.UtcNow;
    var texts = new[] { ("ko", ko), ("zh-Hans", zh) }
        .Select(t => new PrintedText(t.Item1, true, t.Item2, MinutesDigest.Sha256Of(MinutesDigest.BytesOf(t.Item2)))).ToList();
    return new PrintedMinutes(minutesId, "KR-CN", 3,
        [new PrintedTime("KR", "대한민국", "Asia/Seoul", now), new PrintedTime("CN", "中华人民共和国", "Asia/Shanghai", now)],
        "Seoul", "InPerson", ["ko", "zh-Hans"], 3, texts,
        [new PrintedSignature("KR", "대한민국", "김민지", keys[0].KeyId, now, "Asia/Seoul", true),
         new PrintedSignature("CN", "中华人民共和国", "王芳", keys[1].KeyId, now, "Asia/Shanghai", true)],
        Verified: true, now, CorrectionOf: null);
}

static string Text(string sentence, int pages)
{
    var text = new StringBuilder(pages * CharactersPerPage);
    for (var paragraph = 1; text.Length < pages * CharactersPerPage; paragraph++)
    {
        text.Append(paragraph.ToString(CultureInfo.InvariantCulture)).Append(". ");
        for (var i = 0; i < 6; i++)
        {
            text.Append(sentence);
        }

        text.Append('\n');
    }

    return text.ToString(0, pages * CharactersPerPage);
}

static Percentiles Measure(int count, Action action)
{
    for (var i = 0; i < Math.Max(5, count / 10); i++)
    {
        action(); // warm-up: JIT and caches, not measured
    }

    var times = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return Percentiles.Of(times);
}

static async Task<Percentiles> MeasureAsync(int count, Func<Task> action)
{
    await action(); // warm-up
    var times = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return Percentiles.Of(times);
}

static void Row(string what, Percentiles p, string target) =>
    Console.WriteLine(FormattableString.Invariant($"| {what} | {p.Count} | {p.P50:N1} ms | {p.P95:N1} ms | {p.P99:N1} ms | {p.Max:N1} ms | {target} |"));

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>Nearest-rank percentiles of latencies in milliseconds.</summary>
internal sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        var sorted = values.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}
