using System.Text.RegularExpressions;
using ZXing.Common;
using ZXing.QrCode.Internal;

namespace HotlineSystem.UnitTests.Identity;

/// <summary>
/// Reads a QR code drawn by QRCoder's SvgQRCode back to its text with ZXing's decoder: the SVG's
/// dark runs ("M{x} {y}h{w}v1h-{w}z", one module per unit, a 4-module quiet zone) become the matrix.
/// </summary>
internal static partial class QrCodes
{
    private const int QuietZone = 4;

    public static string Read(string svg)
    {
        var size = int.Parse(ViewBox().Match(svg) is { Success: true } box ? box.Groups[1].Value : throw new FormatException("No square viewBox in the SVG."));
        var bits = new BitMatrix(size - 2 * QuietZone);
        var runs = DarkRun().Matches(svg);
        Assert.NotEmpty(runs);
        foreach (Match run in runs)
        {
            var (x, y, width) = (int.Parse(run.Groups[1].Value), int.Parse(run.Groups[2].Value), int.Parse(run.Groups[3].Value));
            for (var i = 0; i < width; i++)
            {
                bits[x + i - QuietZone, y - QuietZone] = true;
            }
        }

        return new Decoder().decode(bits, null)?.Text ?? throw new FormatException("ZXing found no QR code in the SVG.");
    }

    [GeneratedRegex(@"viewBox=""0 0 (\d+) \1""")]
    private static partial Regex ViewBox();

    [GeneratedRegex(@"M(\d+) (\d+)h(\d+)v1h-\3z")]
    private static partial Regex DarkRun();
}
