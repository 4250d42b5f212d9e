using System.Globalization;
using Bunit;
using HotlineSystem.Web.Components;
using HotlineSystem.Web.Resources;
using HotlineSystem.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Web;

/// <summary>The console's component logic that needs no browser (bUnit).</summary>
public sealed class ConsoleComponentTests : BunitContext
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public ConsoleComponentTests()
    {
        Services.AddSingleton<TimeProvider>(time);
        Services.AddLocalization();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    [Fact]
    public void A_countdown_ticks_with_the_clock_and_says_when_the_deadline_is_due()
    {
        var countdown = Render<Countdown>(parameters => parameters.Add(c => c.Until, time.GetUtcNow().AddMinutes(4).AddSeconds(5)));
        Assert.Equal("4:05", countdown.Find("[data-testid=countdown]").TextContent.Trim());

        time.Advance(TimeSpan.FromSeconds(65));
        countdown.WaitForAssertion(() => Assert.Equal("3:00", countdown.Find("[data-testid=countdown]").TextContent.Trim()));

        time.Advance(TimeSpan.FromMinutes(3));
        countdown.WaitForAssertion(() => Assert.Equal("due now", countdown.Find("[data-testid=countdown]").TextContent.Trim()));
    }

    [Theory]
    [InlineData(0, 0, 59, "0:59")]
    [InlineData(0, 12, 3, "12:03")]
    [InlineData(2, 0, 1, "2:00:01")]
    public void A_countdown_shows_hours_only_when_there_are_any(int hours, int minutes, int seconds, string shown) =>
        Assert.Equal(shown, Countdown.Format(new TimeSpan(hours, minutes, seconds)));

    [Theory]
    [InlineData("Asia/Seoul", "2026-12-04 18:00 UTC+9")]
    [InlineData("Asia/Shanghai", "2026-12-04 17:00 UTC+8")]
    [InlineData("Asia/Kolkata", "2026-12-04 14:30 UTC+5:30")]
    [InlineData("No/Such_Zone", "2026-12-04 09:00 UTC+0")]
    public void Times_are_shown_in_the_readers_zone_with_its_offset(string zone, string shown) =>
        Assert.Equal(shown, ReaderTime.For(zone).Format(time.GetUtcNow()));

    [Fact]
    public void A_server_code_is_shown_in_the_readers_language_and_an_unknown_one_named()
    {
        var texts = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<ConsoleTexts>>();

        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ko");
        Assert.Equal("필수 항목입니다.", texts.Message("required"));
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN"); // falls back to zh-Hans
        Assert.Equal("此项为必填项。", texts.Message("required"));
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        Assert.Equal("This value was refused (a-new-code).", texts.Message("a-new-code"));
    }

    [Theory]
    [InlineData("/incidents/new", "/incidents/new")]
    [InlineData("https://elsewhere.example/", "/")]
    [InlineData("//elsewhere.example/", "/")]
    [InlineData("/\\elsewhere.example/", "/")]
    [InlineData(null, "/")]
    public void A_sign_in_returns_only_to_a_page_of_the_console(string? returnUrl, string expected) =>
        Assert.Equal(expected, ConsoleAuthentication.LocalOrHome(returnUrl));
}
