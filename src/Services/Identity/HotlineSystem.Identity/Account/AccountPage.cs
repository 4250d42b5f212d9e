using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace HotlineSystem.Identity.Account;

/// <summary>The small server-rendered pages of signing in: every value HTML-encoded, no script, no framing.</summary>
internal static class AccountPage
{
    public static IResult Render(HttpContext http, PageTexts texts, string heading, string body, int status = StatusCodes.Status200OK)
    {
        var encode = HtmlEncoder.Default;
        var languages = string.Join(" · ", PageTexts.All.Select(t =>
            $"<a href=\"?lang={t.Language}{ReturnUrlQuery(http)}\" lang=\"{t.HtmlLanguage}\">{encode.Encode(t.Language switch { "ko" => "한국어", "zh" => "中文", _ => "English" })}</a>"));
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{texts.HtmlLanguage}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{encode.Encode(texts.Title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#a00}code{word-break:break-all}</style>
            </head>
            <body><nav>{{languages}}</nav><h1>{{encode.Encode(heading)}}</h1>
            {{body}}
            </body></html>
            """;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Form(HttpContext http, IAntiforgery antiforgery, string action, string returnUrl, string fields, string button)
    {
        var encode = HtmlEncoder.Default;
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""
            <form method="post" action="{encode.Encode(action)}">
            <input type="hidden" name="{encode.Encode(tokens.FormFieldName)}" value="{encode.Encode(tokens.RequestToken ?? "")}">
            <input type="hidden" name="returnUrl" value="{encode.Encode(returnUrl)}">
            {fields}
            <button type="submit">{encode.Encode(button)}</button>
            </form>
            """;
    }

    public static string Field(string name, string label, string type, string autocomplete, string? value = null) =>
        $"<label for=\"{name}\">{HtmlEncoder.Default.Encode(label)}</label>" +
        $"<input id=\"{name}\" name=\"{name}\" type=\"{type}\" autocomplete=\"{autocomplete}\" required maxlength=\"256\"" +
        (value is null ? "" : $" value=\"{HtmlEncoder.Default.Encode(value)}\"") + ">";

    public static string Error(string? message) =>
        message is null ? "" : $"<p class=\"error\" role=\"alert\">{HtmlEncoder.Default.Encode(message)}</p>";

    public static string Paragraph(string text) => $"<p>{HtmlEncoder.Default.Encode(text)}</p>";

    private static string ReturnUrlQuery(HttpContext http) =>
        http.Request.Query.TryGetValue("returnUrl", out var value) ? "&returnUrl=" + Uri.EscapeDataString(value.ToString()) : "";
}
