using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>The HTML of <see cref="MinutesDocument"/> for printed minutes, rendered outside any request.</summary>
public static class MinutesHtml
{
    public static async Task<string> RenderAsync(PrintedMinutes minutes, IServiceProvider services)
    {
        await using var renderer = new HtmlRenderer(new LegibleText(services), services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MinutesDocument>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Minutes"] = minutes }));
            return output.ToHtmlString();
        });
    }

    /// <summary>
    /// The services with an HTML encoder that leaves Korean and Chinese as they are: the default one
    /// writes every non-Latin letter as a character reference, eight bytes for one.
    /// </summary>
    private sealed class LegibleText(IServiceProvider services) : IServiceProvider
    {
        private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? Encoder : services.GetService(serviceType);
    }
}
