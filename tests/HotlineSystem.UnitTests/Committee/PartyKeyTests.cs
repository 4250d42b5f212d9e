using System.Security.Cryptography;
using HotlineSystem.Committee.Signing;

namespace HotlineSystem.UnitTests.Committee;

public sealed class PartyKeyTests
{
    [Fact]
    public void A_public_key_read_back_from_its_pem_has_the_same_key_id()
    {
        using var keyPair = PartyKey.CreateKeyPair();
        var korea = PartyKey.Of("KR", keyPair);

        var pem = korea.ExportPem();
        var readBack = PartyKey.FromPem("KR", pem);

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem);
        Assert.Equal(korea.KeyId, readBack.KeyId);
        Assert.Equal(PartyKey.KeyIdOf(keyPair), readBack.KeyId);
        Assert.Equal(22, readBack.KeyId.Length);
    }

    [Fact]
    public void Two_key_pairs_have_different_key_ids()
    {
        using var first = PartyKey.CreateKeyPair();
        using var second = PartyKey.CreateKeyPair();

        Assert.NotEqual(PartyKey.KeyIdOf(first), PartyKey.KeyIdOf(second));
    }

    [Fact]
    public void A_private_key_read_back_from_pkcs8_signs_under_the_same_key_id()
    {
        using var keyPair = PartyKey.CreateKeyPair();

        var pem = PartyKey.ExportPrivateKeyPem(keyPair);
        using var readBack = PartyKey.ImportPrivateKeyPem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        Assert.Equal(PartyKey.KeyIdOf(keyPair), PartyKey.KeyIdOf(readBack));
    }

    [Fact]
    public void A_private_key_is_not_taken_for_a_public_key()
    {
        using var keyPair = PartyKey.CreateKeyPair();

        Assert.Throws<FormatException>(() => PartyKey.FromPem("KR", PartyKey.ExportPrivateKeyPem(keyPair)));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => PartyKey.Of("KR", p384));
        Assert.Throws<FormatException>(() => PartyKey.FromPem("KR", p384.ExportSubjectPublicKeyInfoPem()));
    }

    [Theory]
    [InlineData("kr")]
    [InlineData("KOR")]
    [InlineData("../KR")]
    public void A_party_is_named_by_its_alpha_2_code(string party)
    {
        using var keyPair = PartyKey.CreateKeyPair();

        Assert.Throws<ArgumentException>(() => PartyKey.Of(party, keyPair));
    }
}
