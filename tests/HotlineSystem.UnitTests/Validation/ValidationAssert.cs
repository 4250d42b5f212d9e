using FluentValidation;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.ServiceDefaults;

namespace HotlineSystem.UnitTests.Validation;

/// <summary>The catalogue a fresh deployment seeds and the registry's first parties and channel, plus any HS codes a test adds, held fixed in memory.</summary>
internal sealed class FixedCatalogue(CatalogueSnapshot snapshot) : ICatalogue
{
    public Task<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken) => Task.FromResult(snapshot);

    public static FixedCatalogue FromSeed(params HsCode[] extraHsCodes) => new(new CatalogueSnapshot(
        CatalogueSeed.Minerals,
        [.. CatalogueSeed.HsCodes, .. extraHsCodes],
        CatalogueSeed.Sectors,
        CatalogueSeed.IncidentTypes,
        [new Party("KR", "Republic of Korea", "대한민국", "Asia/Seoul", "ko"), new Party("CN", "People's Republic of China", "中华人民共和国", "Asia/Shanghai", "zh-Hans")],
        [new Channel("KR-CN", "KR", "CN", "Korea–China rare-earth supply hotline")]));
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
