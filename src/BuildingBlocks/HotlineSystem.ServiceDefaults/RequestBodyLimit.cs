using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HotlineSystem.ServiceDefaults;

/// <summary>
/// Refuses bodies above the limit before they are read: by Content-Length at once, and for
/// chunked bodies through the server's own limit, which ends in a 413 problem too.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, long maxBytes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await Problems.Create(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is too large.",
                $"The request body may be at most {maxBytes} bytes.").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        await next(context);
    }
}
