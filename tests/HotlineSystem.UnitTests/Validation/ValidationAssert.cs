using FluentValidation;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.ServiceDefaults;

namespace HotlineSystem.UnitTests.Validation;

/// <summary>The catalogue a fresh deployment seeds, plus any HS codes a test adds, held fixed in memory.</summary>
internal sealed class FixedCatalogue(CatalogueSnapshot snapshot) : ICatalogue
{
    public Task<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken) => Task.FromResult(snapshot);

    public static FixedCatalogue FromSeed(params HsCode[] extraHsCodes) => new(new CatalogueSnapshot(
        CatalogueSeed.Minerals,
        [.. CatalogueSeed.HsCodes, .. extraHsCodes],
        CatalogueSeed.Sectors,
        CatalogueSeed.IncidentTypes,
        CatalogueSeed.Parties,
        CatalogueSeed.Channels));
}

internal static class ValidationAssert
{
    /// <summary>The errors as the validation filter answers them: (JSON field path, stable code).</summary>
    public static async Task<List<(string Field, string Code)>> ErrorsAsync<T>(IValidator<T> validator, T request)
    {
        var result = await validator.ValidateAsync(request);
        return result.Errors.Select(ValidationFilter<T>.ToFieldError).Select(e => (e.Field, e.Code)).ToList();
    }

    public static async Task PassesAsync<T>(IValidator<T> validator, T request) =>
        Assert.Empty(await ErrorsAsync(validator, request));

    /// <summary>Exactly one error, on <paramref name="field"/> with <paramref name="code"/>.</summary>
    public static async Task FailsOnlyAsync<T>(IValidator<T> validator, T request, string field, string code) =>
        Assert.Equal(new List<(string Field, string Code)> { (field, code) }, await ErrorsAsync(validator, request));
}
