using System.Text;
using QRCoder;

namespace HotlineSystem.Identity.Account;

/// <summary>The enrolment page's QR code: the otpauth:// URI as an SVG image (QRCoder), inline as a data URI.</summary>
public static class AuthenticatorQrCode
{
    public const string DataUriPrefix = "data:image/svg+xml;base64,";

    public static string DataUri(string keyUri)
    {
        using var generator = new QRCodeGenerator();
        // Level M: a phone's camera reads it off a screen at any angle; H would only make it denser.
        using var data = generator.CreateQrCode(keyUri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(pixelsPerModule: 4);
        return DataUriPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
