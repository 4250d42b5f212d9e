using System.Net;
using System.Text.Json;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>What every refusal must look like: RFC 9457 problem details with a stable code.</summary>
public static class ProblemAssertions
{
    public sealed record FieldErrorView(string? Field, string? Code, string? Message);

    /// <summary>Asserts the status, the problem+json content type and the "code"; returns the problem.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>
    /// Asserts a 400 validation problem whose "errors" name <paramref name="field"/> with <paramref name="code"/>
    /// and words for people; a null field accepts any field.
    /// </summary>
    public static async Task<IReadOnlyList<FieldErrorView>> AssertFieldErrorAsync(this HttpResponseMessage response, string? field, string code)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => new FieldErrorView(e.GetProperty("field").GetString(), e.GetProperty("code").GetString(), e.GetProperty("message").GetString()))
            .ToList();
        Assert.True(
            errors.Any(e => (field is null || e.Field == field) && e.Code == code && !string.IsNullOrWhiteSpace(e.Message)),
            $"Expected an error {{field: {field ?? "*"}, code: {code}}}; got {JsonSerializer.Serialize(errors)}");
        return errors;
    }
}
