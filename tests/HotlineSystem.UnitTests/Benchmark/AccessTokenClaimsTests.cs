using System.Buffers.Text;
using System.Text;
using HotlineSystem.Benchmark;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.UnitTests.Benchmark;

/// <summary>The benchmark tool learns whom each of its tool clients acts for from its own access token.</summary>
public sealed class AccessTokenClaimsTests
{
    private static string Jwt(string payloadJson) =>
        $"{Base64Url.EncodeToString("""{"alg":"RS256","typ":"at+jwt"}"""u8)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson))}.c2lnbmF0dXJl";

    [Fact]
    public void The_party_is_read_from_the_payload_of_a_plain_jwt()
    {
        // Characters whose base64 differs from base64url ('+' and '/' become '-' and '_'), no padding.
        var token = Jwt("""{"sub":"hotline-benchmark-kr","name":"Benchmark ~~~ ???","party":"KR","aud":["incidents"],"exp":1893456000}""");

        Assert.Equal("KR", AccessTokenClaims.PartyOf(token));
        Assert.Equal("hotline-benchmark-kr", AccessTokenClaims.ClaimOf(token, "sub"));
    }

    [Fact]
    public void The_tool_reads_the_claim_type_the_services_read()
    {
        Assert.Equal(HotlineClaims.Party, AccessTokenClaims.PartyClaim);
    }

    [Fact]
    public void A_token_without_a_party_claim_is_refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => AccessTokenClaims.PartyOf(Jwt("""{"sub":"someone"}""")));
        Assert.Contains("'party'", exception.Message);
    }

    [Theory]
    [InlineData("""{"party":"Korea"}""")]
    [InlineData("""{"party":["KR","CN"]}""")]
    public void A_party_claim_that_is_not_one_party_code_is_refused(string payload)
    {
        Assert.Throws<InvalidOperationException>(() => AccessTokenClaims.PartyOf(Jwt(payload)));
    }

    [Fact]
    public void An_encrypted_token_is_refused_with_a_hint()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => AccessTokenClaims.PartyOf("aGVhZGVy.a2V5.aXY.Y2lwaGVy.dGFn"));
        Assert.Contains("encryption", exception.Message);
    }

    [Fact]
    public void A_payload_that_is_not_json_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => AccessTokenClaims.PartyOf($"eyJhbGciOiJub25lIn0.{Base64Url.EncodeToString("not json"u8)}.c2ln"));
        Assert.Throws<InvalidOperationException>(() => AccessTokenClaims.PartyOf("eyJhbGciOiJub25lIn0.***.c2ln"));
    }
}
