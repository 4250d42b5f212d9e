using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>
/// The second signature locked the minutes: their PDF is printed now and kept, once, so no reader
/// waits for Chromium. A node that cannot print leaves it to the first reader's request (which
/// answers 503 there); a print that fails is logged and left to that request too, never retried
/// into an error queue: the minutes are signed whether or not a PDF exists.
/// </summary>
public sealed class PrintLockedMinutesConsumer(CommitteeDbContext db, TimeProvider time, MinutesPrinter printer, ILogger<PrintLockedMinutesConsumer> logger)
    : InboxConsumer<MinutesChanged, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<MinutesChanged> context)
    {
        var changed = context.Message;
        if (changed.Change != "locked" || !printer.CanPrint)
        {
            return;
        }

        var minutes = await Db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == changed.MinutesId, context.CancellationToken);
        if (minutes is null)
        {
            return;
        }

        try
        {
            await printer.PrintAndKeepAsync(minutes, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Printing the locked minutes {MinutesId} failed; the first reader's request prints them.", minutes.Id);
        }
    }
}
