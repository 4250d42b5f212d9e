using HotlineSystem.Identity.Registry;
using HotlineSystem.Identity.Users;

namespace HotlineSystem.Identity;

/// <summary>Example requests for the OpenAPI document.</summary>
internal static class IdentityExamples
{
    public static readonly CreateUserRequest CreateUser = new(
        UserName: "kr-officer-2", DisplayName: "Kim Minji", Email: "minji.kim@motie.example", Party: null, Roles: ["LiaisonOfficer"],
        OfficialTier: null, Password: "choose-a-long-passphrase-7");

    public static readonly RegisterPartyRequest RegisterParty = new(
        Code: "VN", EnglishName: "Socialist Republic of Viet Nam", NativeName: "Cộng hòa Xã hội chủ nghĩa Việt Nam", TimeZone: "Asia/Ho_Chi_Minh",
        WorkingLanguage: "vi",
        Administrator: new FirstAdministrator(UserName: "vn-admin", DisplayName: "Nguyen Van An", Email: null, Password: "choose-a-long-passphrase-7"));

    public static readonly ProposeChannelRequest ProposeChannel = new(Counterpart: "VN", Name: "Korea–Viet Nam rare-earth supply hotline");
}
