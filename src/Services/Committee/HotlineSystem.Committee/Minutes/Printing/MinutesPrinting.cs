using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>
/// Signed minutes as a document to print or keep: one Razor template (<see cref="MinutesDocument"/>)
/// gives the HTML, and Chromium prints that HTML to PDF. Only locked minutes are printed, for
/// whoever may read them.
/// </summary>
internal static class MinutesPrinting
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Html(
        Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, TimeProvider time, IServiceProvider services, HttpContext http)
    {
        var printed = await PrintedAsync(minutesId, db, keys, time, http);
        if (printed.Problem is { } problem)
        {
            return problem;
        }

        return TypedResults.Content(await MinutesHtml.RenderAsync(printed.Minutes!, services), "text/html; charset=utf-8");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(
        Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, TimeProvider time, IServiceProvider services, ChromiumPdf chromium, HttpContext http)
    {
        var printed = await PrintedAsync(minutesId, db, keys, time, http);
        if (printed.Problem is { } problem)
        {
            return problem;
        }

        if (!chromium.Available)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "printing-unavailable", "Printing unavailable",
                "This node has no Chromium to print with (Committee:Printing:Chromium); the HTML document and the export bundle are there.");
        }

        var pdf = await chromium.PdfAsync(await MinutesHtml.RenderAsync(printed.Minutes!, services), http.RequestAborted);
        return TypedResults.File(pdf, "application/pdf", $"minutes-{printed.Minutes!.Channel}-{printed.Minutes.MeetingNumber}-{minutesId}.pdf");
    }

    private static async Task<(PrintedMinutes? Minutes, ProblemHttpResult? Problem)> PrintedAsync(
        Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, cancellationToken);
        if (minutes is null || !await db.ReadableAsync(minutes, http, cancellationToken))
        {
            return (null, Problems.NotFound("minutes"));
        }

        if (minutes.Status != MinutesStatus.Locked)
        {
            return (null, Problems.Conflict("not-locked", "Only minutes both co-chairs signed are printed."));
        }

        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == minutes.MeetingId, cancellationToken);
        var channel = ChannelCode.Parse(minutes.Channel);
        var parties = await db.Parties.AsNoTracking().Where(p => channel.Parties.Contains(p.Code)).ToDictionaryAsync(p => p.Code, cancellationToken);
        var names = await db.DisplayNamesAsync(minutes.Signatures.Select(s => s.UserId), cancellationToken);
        var verification = await keys.VerificationAsync(minutes, cancellationToken);
        var hashes = minutes.TextDigests().ToDictionary(t => t.Language, t => t.Sha256);
        var languages = channel.Parties.Select(p => parties.GetValueOrDefault(p)?.WorkingLanguage).OfType<string>().Distinct().ToList();

        string NameOf(string party) => parties.GetValueOrDefault(party)?.NativeName ?? party;
        string ZoneOf(string party) => parties.GetValueOrDefault(party)?.TimeZone ?? "UTC";

        return (new PrintedMinutes(
            minutes.Id, minutes.Channel, meeting.Number,
            [.. channel.Parties.Select(p => new PrintedTime(p, NameOf(p), ZoneOf(p), meeting.StartsAt))],
            meeting.Place, meeting.Mode.ToString(), languages, minutes.ContentVersion,
            [.. minutes.Texts.OrderBy(t => t.Authentic ? languages.IndexOf(t.Language) : int.MaxValue)
                .Select(t => new PrintedText(t.Language, t.Authentic, t.Text, hashes[t.Language]))],
            [.. minutes.Signatures.OrderBy(s => channel.Parties.ToList().IndexOf(s.Party)).Select(s => new PrintedSignature(
                s.Party, NameOf(s.Party), names.GetValueOrDefault(s.UserId, s.UserId), s.KeyId, s.SignedAt, ZoneOf(s.Party),
                verification.Signatures.Any(v => v.Party == s.Party && v.KeyId == s.KeyId && v.Holds)))],
            verification.Verified, time.GetUtcNow(), minutes.CorrectionOf), null);
    }
}
