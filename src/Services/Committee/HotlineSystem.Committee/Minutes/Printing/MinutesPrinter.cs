using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Contracts.Committee;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>The PDF of locked minutes, printed once (they never change after the second signature) and kept.</summary>
public sealed class KeptPdf
{
    private KeptPdf()
    {
    }

    public Guid MinutesId { get; private set; }

    public byte[] Pdf { get; private set; } = [];

    public DateTimeOffset PrintedAt { get; private set; }

    public static KeptPdf Of(Guid minutesId, byte[] pdf, DateTimeOffset printedAt) => new() { MinutesId = minutesId, Pdf = pdf, PrintedAt = printedAt };
}

/// <summary>
/// Locked minutes as a document: the template's model read from the committee's records, its HTML,
/// and its PDF — printed by Chromium once and kept, so a reader waits for a database read, not for
/// Chromium to lay out hundreds of pages (docs/benchmarks.md).
/// </summary>
public sealed class MinutesPrinter(CommitteeDbContext db, PartySigningKeys keys, ChromiumPdf chromium, IServiceProvider services, TimeProvider time)
{
    public bool CanPrint => chromium.Available;

    public async Task<string> HtmlAsync(Minutes minutes, CancellationToken cancellationToken) =>
        await MinutesHtml.RenderAsync(await PrintedAsync(minutes, cancellationToken), services);

    /// <summary>The kept PDF, or null when none is kept yet.</summary>
    public async Task<byte[]?> KeptAsync(Guid minutesId, CancellationToken cancellationToken) =>
        await db.KeptPdfs.AsNoTracking().Where(p => p.MinutesId == minutesId).Select(p => p.Pdf).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Prints locked minutes and stages the PDF on the context (the caller saves); nothing when one is kept already.</summary>
    public async Task<byte[]> PrintAndKeepAsync(Minutes minutes, CancellationToken cancellationToken)
    {
        if (minutes.Status != MinutesStatus.Locked)
        {
            throw new InvalidOperationException($"Minutes {minutes.Id} are {minutes.Status}: only locked minutes are printed.");
        }

        if (await KeptAsync(minutes.Id, cancellationToken) is { } kept)
        {
            return kept;
        }

        var pdf = await chromium.PdfAsync(await HtmlAsync(minutes, cancellationToken), cancellationToken);
        db.KeptPdfs.Add(KeptPdf.Of(minutes.Id, pdf, time.GetUtcNow()));
        return pdf;
    }

    private async Task<PrintedMinutes> PrintedAsync(Minutes minutes, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == minutes.MeetingId, cancellationToken);
        var channel = ChannelCode.Parse(minutes.Channel);
        var parties = await db.Parties.AsNoTracking().Where(p => channel.Parties.Contains(p.Code)).ToDictionaryAsync(p => p.Code, cancellationToken);
        var names = await db.DisplayNamesAsync(minutes.Signatures.Select(s => s.UserId), cancellationToken);
        var verification = await keys.VerificationAsync(minutes, cancellationToken);
        var hashes = minutes.TextDigests().ToDictionary(t => t.Language, t => t.Sha256);
        var languages = channel.Parties.Select(p => parties.GetValueOrDefault(p)?.WorkingLanguage).OfType<string>().Distinct().ToList();

        string NameOf(string party) => parties.GetValueOrDefault(party)?.NativeName ?? party;
        string ZoneOf(string party) => parties.GetValueOrDefault(party)?.TimeZone ?? "UTC";

        return new PrintedMinutes(
            minutes.Id, minutes.Channel, meeting.Number,
            [.. channel.Parties.Select(p => new PrintedTime(p, NameOf(p), ZoneOf(p), meeting.StartsAt))],
            meeting.Place, meeting.Mode.ToString(), languages, minutes.ContentVersion,
            [.. minutes.Texts.OrderBy(t => t.Authentic ? languages.IndexOf(t.Language) : int.MaxValue)
                .Select(t => new PrintedText(t.Language, t.Authentic, t.Text, hashes[t.Language]))],
            [.. minutes.Signatures.OrderBy(s => channel.Parties.ToList().IndexOf(s.Party)).Select(s => new PrintedSignature(
                s.Party, NameOf(s.Party), names.GetValueOrDefault(s.UserId, s.UserId), s.KeyId, s.SignedAt, ZoneOf(s.Party),
                verification.Signatures.Any(v => v.Party == s.Party && v.KeyId == s.KeyId && v.Holds)))],
            verification.Verified, time.GetUtcNow(), minutes.CorrectionOf);
    }
}
