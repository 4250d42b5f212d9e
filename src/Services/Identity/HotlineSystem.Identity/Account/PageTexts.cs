using Microsoft.AspNetCore.Http;

namespace HotlineSystem.Identity.Account;

/// <summary>
/// The words of the sign-in pages in Korean, Chinese and English. The language comes from ?lang=,
/// then the language the user chose before (a cookie), then the browser's Accept-Language; English
/// is the common fallback (domain.md).
/// </summary>
public sealed record PageTexts(
    string Language,
    string HtmlLanguage,
    string Title,
    string UserName,
    string Password,
    string SignIn,
    string InvalidCredentials,
    string LockedOut,
    string SecondFactorTitle,
    string SecondFactorPrompt,
    string Code,
    string Verify,
    string InvalidCode,
    string EnrolmentTitle,
    string EnrolmentPrompt,
    string SecretKey,
    string SignedIn,
    string SignedOut,
    string SessionExpired,
    string MissingFields)
{
    public const string CookieName = "hotline-lang";

    public static readonly PageTexts English = new(
        "en", "en", "HotlineSystem — sign in", "User name", "Password", "Sign in",
        "The user name or password is not correct, or the account may not sign in.",
        "Too many failed attempts: this account is locked for a while. Try again later or ask your administrator.",
        "Second factor", "Enter the 6-digit code from your authenticator app.", "Code", "Verify",
        "The code is not correct.",
        "Set up your second factor", "Your role requires a second factor. Add this key to an authenticator app (TOTP), then enter the code it shows.",
        "Key", "You are signed in.", "You are signed out. Your sessions and refresh tokens have been revoked.",
        "Your sign-in took too long. Please start again.", "Fill in every field.");

    public static readonly PageTexts Korean = new(
        "ko", "ko", "HotlineSystem — 로그인", "사용자 이름", "비밀번호", "로그인",
        "사용자 이름 또는 비밀번호가 올바르지 않거나, 로그인할 수 없는 계정입니다.",
        "로그인 실패가 너무 많아 이 계정이 잠시 잠겼습니다. 나중에 다시 시도하거나 관리자에게 문의하십시오.",
        "2단계 인증", "인증 앱에 표시된 6자리 코드를 입력하십시오.", "코드", "확인",
        "코드가 올바르지 않습니다.",
        "2단계 인증 설정", "이 역할에는 2단계 인증이 필요합니다. 이 키를 인증 앱(TOTP)에 추가한 다음 표시되는 코드를 입력하십시오.",
        "키", "로그인되었습니다.", "로그아웃되었습니다. 세션과 갱신 토큰이 모두 폐기되었습니다.",
        "로그인 시간이 초과되었습니다. 다시 시작하십시오.", "모든 항목을 입력하십시오.");

    public static readonly PageTexts Chinese = new(
        "zh", "zh-Hans", "HotlineSystem — 登录", "用户名", "密码", "登录",
        "用户名或密码不正确，或该账户不允许登录。",
        "失败次数过多，该账户已被暂时锁定。请稍后再试或联系管理员。",
        "双重验证", "请输入身份验证器应用中显示的6位验证码。", "验证码", "验证",
        "验证码不正确。",
        "设置双重验证", "您的角色需要双重验证。请将此密钥添加到身份验证器应用（TOTP），然后输入其显示的验证码。",
        "密钥", "您已登录。", "您已退出。您的会话和刷新令牌均已撤销。",
        "登录用时过长，请重新开始。", "请填写所有字段。");

    public static readonly IReadOnlyList<PageTexts> All = [Korean, Chinese, English];

    public static PageTexts For(HttpContext http)
    {
        var asked = http.Request.Query["lang"].ToString();
        if (Find(asked) is { } chosen)
        {
            http.Response.Cookies.Append(CookieName, chosen.Language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return chosen;
        }

        if (Find(http.Request.Cookies[CookieName]) is { } remembered)
        {
            return remembered;
        }

        var accepted = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(language => language.Quality is null or > 0) // q=0: "not this one" (RFC 9110, 12.4.2)
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => Find(language.Value.Value))
            .FirstOrDefault(texts => texts is not null);
        return accepted ?? English;
    }

    /// <summary>"zh", "zh-Hans-CN" → Chinese; but "kok" (Konkani) is not Korean: the tag matches whole or up to a '-'.</summary>
    private static PageTexts? Find(string? language) =>
        string.IsNullOrWhiteSpace(language) ? null : All.FirstOrDefault(t =>
            language.Equals(t.Language, StringComparison.OrdinalIgnoreCase) || language.StartsWith(t.Language + "-", StringComparison.OrdinalIgnoreCase));
}
