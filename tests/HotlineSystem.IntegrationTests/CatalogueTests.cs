using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>The catalogue is data: an administrator extends it, and filing accepts the new heading at once.</summary>
public sealed class CatalogueTests(IncidentsAppFixture fixture) : IClassFixture<IncidentsAppFixture>
{
    private static object Heading(string code, string validFrom = "2026-01-01", string? validTo = null) => new
    {
        code,
        descriptionEn = "Rare-earth oxides, tracked separately",
        descriptionKo = "희토류 산화물(별도 추적)",
        descriptionZh = "稀土氧化物（单独跟踪）",
        validFrom,
        validTo,
    };

    private HttpClient Administrator() => fixture.App.ClientFor("kr-admin", "KR", HotlineRoles.Administrator);

    [Fact]
    public async Task An_administrator_adds_an_HS_heading_and_an_officer_can_file_with_it_at_once()
    {
        var officer = fixture.App.KrOfficerClient();
        var before = await officer.PostAsJsonAsync("/api/incidents", WithHsCode("2846.20"));
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);

        var added = await Administrator().PostAsJsonAsync("/api/catalogue/hs-codes", Heading("2846.20"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var filed = await officer.PostAsJsonAsync("/api/incidents", WithHsCode("2846.20.1000"));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var catalogue = await officer.GetFromJsonAsync<JsonElement>("/api/catalogue");
        Assert.Contains(catalogue.GetProperty("hsCodes").EnumerateArray(), h => h.GetProperty("code").GetString() == "2846.20");
    }

    [Fact]
    public async Task Adding_a_heading_that_is_there_already_is_a_409()
    {
        var response = await Administrator().PostAsJsonAsync("/api/catalogue/hs-codes", Heading("2805.30"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("hs-code-exists", (await response.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Only_an_administrator_may_extend_the_catalogue()
    {
        var response = await fixture.App.KrOfficerClient().PostAsJsonAsync("/api/catalogue/hs-codes", Heading("2846.30"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await fixture.App.InDatabase(db => db.HsCodes.AnyAsync(h => h.Code == "284630")));
    }

    [Theory]
    [InlineData("2846", "2026-01-01", null, "code", "invalid-hs-code")]
    [InlineData("2846.90.1000", "2026-01-01", null, "code", "invalid-hs-code")]
    [InlineData("28a6.40", "2026-01-01", null, "code", "invalid-hs-code")]
    [InlineData("2846.40", "2026-06-01", "2026-01-01", "validTo", "invalid-period")]
    public async Task A_malformed_heading_is_a_400_naming_the_field(string code, string validFrom, string? validTo, string field, string errorCode)
    {
        var response = await Administrator().PostAsJsonAsync("/api/catalogue/hs-codes", Heading(code, validFrom, validTo));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("code").GetString() == errorCode);
        Assert.False(await fixture.App.InDatabase(db => db.HsCodes.AnyAsync(h => h.Code == "284640")));
    }

    private static object WithHsCode(string hsCode) => new
    {
        requestId = Guid.NewGuid(),
        channel = "KR-CN",
        type = "regulatory-change",
        severity = "Sev3",
        title = "New tracking code for rare-earth oxides",
        description = "Exports now declared under the new heading.",
        minerals = new[] { "Ce" },
        hsCodes = new[] { hsCode },
    };
}
