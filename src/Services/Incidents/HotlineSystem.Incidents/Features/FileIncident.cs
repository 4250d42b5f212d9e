using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using Severity = HotlineSystem.Contracts.Incidents.Severity;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Features;

/// <summary>A liaison officer files a supply incident on a channel of their party.</summary>
public sealed record FileIncidentRequest(
    Guid RequestId,
    string Channel,
    string Type,
    Severity? Severity,
    string Title,
    string Description,
    string? Language,
    IReadOnlyList<string>? Minerals,
    IReadOnlyList<string>? HsCodes,
    IReadOnlyList<string>? Sectors,
    decimal? QuantityTonnes,
    int? InventoryCoverDays,
    DateOnly? StartedOn,
    string? CounterpartAgency);

public sealed class FileIncidentValidator : AbstractValidator<FileIncidentRequest>
{
    public FileIncidentValidator(ICatalogue catalogue, TimeProvider time)
    {
        RuleFor(r => r.RequestId).NotEmpty();
        RuleFor(r => r.Channel).NotEmpty().MaximumLength(20);
        RuleFor(r => r.Type).Cascade(CascadeMode.Stop).NotEmpty()
            .MustAsync(async (type, ct) => (await catalogue.GetAsync(ct)).IsIncidentType(type))
            .WithErrorCode("unknown-incident-type").WithMessage("'{PropertyValue}' is not an incident type of the catalogue.");
        RuleFor(r => r.Severity).NotNull().IsInEnum();
        RuleFor(r => r.Title).NotEmpty().MaximumLength(TextLimits.Title).PlainText();
        RuleFor(r => r.Description).NotEmpty().MaximumLength(TextLimits.Description).PlainText(allowLineBreaks: true);
        RuleFor(r => r.Language!)
            .MustAsync(async (language, ct) => (await catalogue.GetAsync(ct)).Languages.Contains(language))
            .When(r => r.Language is not null)
            .WithErrorCode("unknown-language").WithMessage("'{PropertyValue}' is not a working language of a party, nor 'en'.");

        RuleFor(r => r.Minerals).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Name at least one rare earth (e.g. \"Nd\").")
            .Must(m => m!.Count <= 17 && m.Distinct().Count() == m.Count).WithErrorCode("invalid-list")
            .WithMessage("List each mineral once.");
        RuleForEach(r => r.Minerals)
            .MustAsync(async (symbol, ct) => (await catalogue.GetAsync(ct)).IsMineral(symbol))
            .WithErrorCode("unknown-mineral").WithMessage("'{PropertyValue}' is not one of the 17 rare earths (use the symbol, e.g. \"Nd\").");

        RuleFor(r => r.HsCodes).Must(c => c is null || (c.Count <= 20 && c.Select(HsDigits).Distinct().Count() == c.Count))
            .WithErrorCode("invalid-list").WithMessage("List at most 20 HS codes, each once.");
        RuleForEach(r => r.HsCodes).Cascade(CascadeMode.Stop)
            .Must(code => code is not null && CatalogueSnapshot.IsHsCodeShape(code))
            .WithErrorCode("invalid-hs-code").WithMessage("'{PropertyValue}' is not an HS code: give 6 digits (2805.30) or a 10-digit national code (2805.30.1000).")
            .MustAsync(async (request, code, ct) => (await catalogue.GetAsync(ct)).NormalizeHsCode(code, request.StartedOn ?? Today(time)) is not null)
            .WithErrorCode("unknown-hs-code").WithMessage("'{PropertyValue}' is not a rare-earth HS code of the catalogue valid on that date.");

        RuleFor(r => r.Sectors).Must(s => s is null || (s.Count <= 8 && s.Distinct().Count() == s.Count))
            .WithErrorCode("invalid-list").WithMessage("List each sector once.");
        RuleForEach(r => r.Sectors)
            .MustAsync(async (sector, ct) => (await catalogue.GetAsync(ct)).IsSector(sector))
            .WithErrorCode("unknown-sector").WithMessage("'{PropertyValue}' is not a sector of the catalogue.");

        RuleFor(r => r.QuantityTonnes).InclusiveBetween(0m, 10_000_000m).When(r => r.QuantityTonnes is not null);
        RuleFor(r => r.InventoryCoverDays).InclusiveBetween(0, 3650).When(r => r.InventoryCoverDays is not null);
        // Before 2000 (or after 2099) is refused where the body is read (DomainDates).
        RuleFor(r => r.StartedOn)
            .Must(d => d!.Value <= Today(time).AddDays(1)).WithErrorCode("date-in-future").WithMessage("An incident cannot have started in the future.")
            .When(r => r.StartedOn is not null);
        RuleFor(r => r.CounterpartAgency).MaximumLength(TextLimits.Agency).PlainText().When(r => r.CounterpartAgency is not null);
    }

    /// <summary>"2805.30" and "280530" are the same code.</summary>
    private static string? HsDigits(string? code) => code?.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    // A day of tolerance: "today" in Seoul is already tomorrow in UTC for nine hours.
    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

internal static class FileIncident
{
    /// <summary>
    /// Files the incident, or returns the one already filed with the same request id by the same
    /// party (200 instead of 201): a client that retries after a timeout never files twice. The
    /// unique request id decides: a retry is rare, so it is looked up only when the insert collides.
    /// </summary>
    public static async Task<Results<Created<IncidentDetails>, Ok<IncidentDetails>, ProblemHttpResult>> Handle(
        FileIncidentRequest request, IncidentsDbContext db, ICatalogue catalogue, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var actor = IncidentAccess.ActorOf(http.User);
        var snapshot = await catalogue.GetAsync(cancellationToken);
        // The catalogue is up to a minute old: a channel opened since then is read from this service's copy of the registry.
        var channel = snapshot.FindChannel(request.Channel) is { IsOpen: true } cached ? cached
            : await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Code == request.Channel, cancellationToken);
        if (channel is null || !channel.Includes(actor.Party))
        {
            return Problems.Validation("channel", "unknown-channel", $"'{request.Channel}' is not a channel of your party.");
        }

        if (!channel.IsOpen)
        {
            return Problems.Validation("channel", "channel-not-open", $"Channel {channel.Code} is {channel.Status}: incidents are filed on an open channel.");
        }

        var now = time.GetUtcNow();
        var day = request.StartedOn ?? DateOnly.FromDateTime(now.UtcDateTime);
        var facts = new IncidentFacts(
            request.Type,
            request.Severity!.Value,
            request.Title,
            request.Description,
            request.Language ?? snapshot.FindParty(actor.Party)?.WorkingLanguage ?? "en",
            request.Minerals!,
            (request.HsCodes ?? []).Select(code => snapshot.NormalizeHsCode(code, day)!).ToList(),
            request.Sectors ?? [],
            request.QuantityTonnes,
            request.InventoryCoverDays,
            request.StartedOn,
            request.CounterpartAgency);

        var incident = Incident.File(request.RequestId, channel.Code, channel.CounterpartOf(actor.Party), facts, actor, now);
        db.Incidents.Add(incident);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Filed before with this request id (a retry), or raced in on another connection and won:
            // answer with that incident.
            db.ChangeTracker.Clear();
            var winner = await FindExisting(db, actor.Party, request.RequestId, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return Existing(winner, actor.Party, http);
        }

        http.Response.Headers.ETag = incident.ETag();
        return TypedResults.Created($"/api/incidents/{incident.Id}", incident.ToDetails(actor.Party));
    }

    private static Task<Incident?> FindExisting(IncidentsDbContext db, string party, Guid requestId, CancellationToken cancellationToken) =>
        db.Incidents.AsNoTracking().Include(i => i.Timeline)
            .SingleOrDefaultAsync(i => i.ReportingParty == party && i.RequestId == requestId, cancellationToken);

    private static Ok<IncidentDetails> Existing(Incident incident, string party, HttpContext http)
    {
        http.Response.Headers.ETag = incident.ETag();
        http.Response.Headers.Location = $"/api/incidents/{incident.Id}";
        return TypedResults.Ok(incident.ToDetails(party));
    }
}
