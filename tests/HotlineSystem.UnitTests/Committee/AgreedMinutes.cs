using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Text;
using HotlineSystem.Committee.Signing;

namespace HotlineSystem.UnitTests.Committee;

/// <summary>Agreed minutes of a KR–CN committee meeting and each co-chair's own key pair, as the tests sign them.</summary>
public sealed class AgreedMinutes : IDisposable
{
    public static readonly Guid MinutesId = new("0b8f6c1e-52a4-4d7b-9f3e-6a1d2c3b4e5f");

    public const string Korean = "제3차 한중 공급망 공동위원회 합의의사록\n1. 양측은 희토류 수출허가 절차를 30일 이내로 단축하기로 합의하였다.\n";
    public const string Chinese = "中韩供应链联合委员会第三次会议纪要\n1. 双方同意将稀土出口许可程序缩短至30天以内。\n";
    public const string English = "Agreed minutes of the third meeting of the Korea-China supply chain joint committee\n"
        + "1. Both sides agreed to shorten rare-earth export licence procedures to within 30 days.\n";

    public static readonly (string Language, string Text, bool Authentic)[] Texts =
    [
        ("ko", Korean, true),
        ("zh-Hans", Chinese, true),
        ("en", English, false),
    ];

    public ECDsa KoreanCoChairKey { get; } = PartyKey.CreateKeyPair();

    public ECDsa ChineseCoChairKey { get; } = PartyKey.CreateKeyPair();

    public PartyKey Korea => PartyKey.Of("KR", KoreanCoChairKey);

    public PartyKey China => PartyKey.Of("CN", ChineseCoChairKey);

    public static MinutesDigest Digest { get; } = MinutesDigest.From(MinutesId, 1, Texts);

    public static IEnumerable<(string Language, string Text)> TextsOnly => Texts.Select(t => (t.Language, t.Text));

    public byte[] SignedByKorea() => MinutesSignatures.Sign(Digest, "KR", KoreanCoChairKey, Korea.KeyId);

    public byte[] SignedByBoth() => MinutesSignatures.AddSignature(SignedByKorea(), "CN", ChineseCoChairKey, China.KeyId);

    /// <summary>
    /// A signature that claims <paramref name="party"/> and <paramref name="keyId"/> but is made with
    /// <paramref name="actualKey"/>, written with the COSE library directly: MinutesSignatures refuses to make one.
    /// </summary>
    public static byte[] AddForgedSignature(byte[] record, string party, string keyId, ECDsa actualKey)
    {
        var message = CoseMessage.DecodeMultiSign(record);
        var headers = new CoseHeaderMap
        {
            { CoseHeaderLabel.Algorithm, MinutesSignatures.Es256 },
            { CoseHeaderLabel.KeyIdentifier, Encoding.UTF8.GetBytes(keyId) },
            { MinutesSignatures.PartyHeader, party },
        };
        message.AddSignatureForEmbedded(new CoseSigner(actualKey, HashAlgorithmName.SHA256, headers));
        return message.Encode();
    }

    public void Dispose()
    {
        KoreanCoChairKey.Dispose();
        ChineseCoChairKey.Dispose();
    }
}
