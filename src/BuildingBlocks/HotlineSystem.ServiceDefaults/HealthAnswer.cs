using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HotlineSystem.ServiceDefaults;

/// <summary>
/// A health answer an operator can read: the overall status and, per check, its status and
/// description (no exception texts: they may name hosts or users, and the endpoint is anonymous).
/// </summary>
public static class HealthAnswer
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var answer = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(answer));
    }
}
