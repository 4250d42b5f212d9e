namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>The parties and channel every test deployment starts with, as the Identity service's seed configuration (Registry:Seed).</summary>
public static class TestRegistry
{
    public static readonly IReadOnlyDictionary<string, string> Seed = new Dictionary<string, string>
    {
        ["Registry:Seed:Parties:0:Code"] = "KR",
        ["Registry:Seed:Parties:0:EnglishName"] = "Republic of Korea",
        ["Registry:Seed:Parties:0:NativeName"] = "대한민국",
        ["Registry:Seed:Parties:0:TimeZone"] = "Asia/Seoul",
        ["Registry:Seed:Parties:0:WorkingLanguage"] = "ko",
        ["Registry:Seed:Parties:1:Code"] = "CN",
        ["Registry:Seed:Parties:1:EnglishName"] = "People's Republic of China",
        ["Registry:Seed:Parties:1:NativeName"] = "中华人民共和国",
        ["Registry:Seed:Parties:1:TimeZone"] = "Asia/Shanghai",
        ["Registry:Seed:Parties:1:WorkingLanguage"] = "zh-Hans",
        ["Registry:Seed:Channels:0:Code"] = "KR-CN",
        ["Registry:Seed:Channels:0:Name"] = "Korea–China rare-earth supply hotline",
    };
}
