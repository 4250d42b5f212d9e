using System.Globalization;
using System.Resources;

namespace HotlineSystem.Committee.Minutes.Printing;

/// <summary>The labels of printed minutes (PrintTexts.resx, .ko.resx, .zh-Hans.resx), each asked for in one language.</summary>
public static class PrintTexts
{
    private static readonly ResourceManager Resources = new("HotlineSystem.Committee.Minutes.Printing.PrintTexts", typeof(PrintTexts).Assembly);

    public static string Get(string key, string language) =>
        Resources.GetString(key, CultureInfo.GetCultureInfo(language)) ?? throw new InvalidOperationException($"No printed text '{key}'.");
}
