using FluentValidation;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Features;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Catalogue;

/// <summary>
/// An administrator extends the HS-code catalogue with a rare-earth heading (new codes are being
/// introduced for tracking). National 10-digit codes need no entry: they extend their heading.
/// </summary>
public sealed record AddHsCodeRequest(string Code, string DescriptionEn, string DescriptionKo, string DescriptionZh, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed class AddHsCodeValidator : AbstractValidator<AddHsCodeRequest>
{
    public AddHsCodeValidator()
    {
        RuleFor(r => r.Code).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(code => Digits(code).Length == 6 && Digits(code).All(char.IsAsciiDigit))
            .WithErrorCode("invalid-hs-code").WithMessage("Give the 6-digit heading, e.g. 2846.90.");
        RuleFor(r => r.DescriptionEn).NotEmpty().MaximumLength(TextLimits.Title).PlainText();
        RuleFor(r => r.DescriptionKo).NotEmpty().MaximumLength(TextLimits.Title).PlainText();
        RuleFor(r => r.DescriptionZh).NotEmpty().MaximumLength(TextLimits.Title).PlainText();
        RuleFor(r => r.ValidFrom).NotNull();
        RuleFor(r => r.ValidTo).GreaterThanOrEqualTo(r => r.ValidFrom).When(r => r.ValidFrom is not null && r.ValidTo is not null)
            .WithErrorCode("invalid-period").WithMessage("'validTo' must not be before 'validFrom'.");
    }

    internal static string Digits(string code) => code.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
}

internal static class AddHsCode
{
    public static async Task<Results<Created<HsCodeView>, ProblemHttpResult>> Handle(
        AddHsCodeRequest request, IncidentsDbContext db, CatalogueCache catalogue, HttpContext http)
    {
        var code = AddHsCodeValidator.Digits(request.Code);
        var hsCode = new HsCode(code, request.DescriptionEn, request.DescriptionKo, request.DescriptionZh, request.ValidFrom!.Value, request.ValidTo);
        if (await db.HsCodes.AnyAsync(h => h.Code == code, http.RequestAborted))
        {
            return Problems.Conflict("hs-code-exists", $"{hsCode.Display} is in the catalogue already.");
        }

        db.HsCodes.Add(hsCode);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // Another administrator added the same heading at the same moment.
            db.ChangeTracker.Clear();
            if (!await db.HsCodes.AnyAsync(h => h.Code == code, http.RequestAborted))
            {
                throw;
            }

            return Problems.Conflict("hs-code-exists", $"{hsCode.Display} is in the catalogue already.");
        }

        // Seen at once by this process; other replicas read the catalogue again within a minute.
        catalogue.Invalidate();
        return TypedResults.Created("/api/catalogue",
            new HsCodeView(hsCode.Display, hsCode.DescriptionEn, hsCode.DescriptionKo, hsCode.DescriptionZh, hsCode.ValidFrom, hsCode.ValidTo));
    }
}
