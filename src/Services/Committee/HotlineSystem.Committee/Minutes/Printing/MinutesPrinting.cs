using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>
/// Signed minutes as a document to print or keep: one Razor template (<see cref="MinutesDocument"/>)
/// gives the HTML, and Chromium prints that HTML to PDF. Only locked minutes are printed, for
/// whoever may read them; the PDF is printed when they lock (<see cref="PrintLockedMinutesConsumer"/>)
/// and kept, or at the first asking if that print has not happened.
/// </summary>
internal static class MinutesPrinting
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Html(Guid minutesId, CommitteeDbContext db, MinutesPrinter printer, HttpContext http)
    {
        var (minutes, problem) = await LockedAsync(minutesId, db, http);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Content(await printer.HtmlAsync(minutes!, http.RequestAborted), "text/html; charset=utf-8");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(Guid minutesId, CommitteeDbContext db, MinutesPrinter printer, HttpContext http)
    {
        var (minutes, problem) = await LockedAsync(minutesId, db, http);
        if (problem is not null)
        {
            return problem;
        }

        var name = $"minutes-{minutes!.Channel}-{minutesId}.pdf";
        if (await printer.KeptAsync(minutesId, http.RequestAborted) is { } kept)
        {
            return TypedResults.File(kept, "application/pdf", name);
        }

        if (!printer.CanPrint)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "printing-unavailable", "Printing unavailable",
                "This node has no Chromium to print with (Committee:Printing:Chromium); the HTML document and the export bundle are there.");
        }

        var pdf = await printer.PrintAndKeepAsync(minutes, http.RequestAborted);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // Printed meanwhile by the lock's print or another reader: the same minutes, the same document.
        }

        return TypedResults.File(pdf, "application/pdf", name);
    }

    private static async Task<(Minutes? Minutes, ProblemHttpResult? Problem)> LockedAsync(Guid minutesId, CommitteeDbContext db, HttpContext http)
    {
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, http.RequestAborted);
        if (minutes is null || !await db.ReadableAsync(minutes, http, http.RequestAborted))
        {
            return (null, Problems.NotFound("minutes"));
        }

        return minutes.Status == MinutesStatus.Locked
            ? (minutes, null)
            : (null, Problems.Conflict("not-locked", "Only minutes both co-chairs signed are printed."));
    }
}
