using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>
/// The embedded host on a node that asks for a second factor of the last 30 seconds before signing (the
/// default is five minutes), so that a co-chair who signed in at the start of a test must sign in again.
/// </summary>
public sealed class CommitteeBrowser() : ConsoleBrowser(new Dictionary<string, string>
{
    ["Committee__Signing__SecondFactorWindow"] = "00:00:30",
})
{
    public static readonly TimeSpan SecondFactorWindow = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The joint committee in the console, each co-chair in their own browser and language against the
/// embedded host (whose demo seats kr-cochair and cn-cochair with a member each): KR schedules a
/// meeting and proposes an item with an incident linked, CN agrees, the minutes are written in ko and
/// zh-Hans, both co-chairs sign, and both see "verified".
/// </summary>
public sealed class CommitteePagesTests(CommitteeBrowser console) : IClassFixture<CommitteeBrowser>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };

    [Fact]
    public async Task Both_co_chairs_agree_an_agenda_and_sign_the_minutes_in_their_own_browsers_and_both_see_them_verified()
    {
        var incident = await console.Host.FileIncidentAsync("Export licence delay for NdFeB magnets");
        var kr = await console.SignedInAsync("kr-cochair", "ko");
        var cn = await console.SignedInAsync("cn-cochair", "zh-Hans");
        var signedIn = DateTimeOffset.UtcNow;

        // KR schedules meeting: in two days, agenda closing tomorrow, times typed in Seoul's clock.
        var meeting = await ScheduleAsync(kr);
        await Expect(kr.GetByTestId("meeting-times")).ToContainTextAsync("Asia/Shanghai"); // each party's clock

        // KR proposes an item with the incident linked: it waits for CN.
        await kr.GetByTestId("item-title").FillAsync("희토류 영구자석 수출허가 지연");
        await kr.GetByTestId("item-description").FillAsync("수출허가 심사 기간과 통관 절차를 논의한다.");
        await kr.GetByTestId($"link-{incident}").ClickAsync();
        await kr.GetByTestId("propose-item").ClickAsync();
        var krItem = kr.GetByTestId("agenda-item");
        await Expect(krItem).ToHaveCountAsync(1);
        await Expect(krItem.GetByTestId("agenda-state")).ToContainTextAsync("CN");
        await Expect(krItem.GetByTestId("agree-item")).ToHaveCountAsync(0); // KR's own agreement is given by proposing

        // CN agrees in its browser; KR's page shows the item on the agenda without reloading.
        await cn.GotoAsync(meeting);
        await cn.GetByTestId("agenda-item").GetByTestId("agree-item").ClickAsync();
        await Expect(cn.GetByTestId("agenda-item").GetByTestId("agenda-state")).ToContainTextAsync("已列入议程");
        await Expect(krItem.GetByTestId("agenda-state")).ToContainTextAsync("의제 확정", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-meeting-ko");
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-meeting-zh-Hans");

        // The item shows the linked incident and its status; KR's Internal position never reaches CN.
        await krItem.Locator("a").First.ClickAsync();
        await Expect(kr.GetByTestId("linked-incidents")).ToContainTextAsync("Export licence delay for NdFeB magnets");
        var item = kr.Url;
        var secret = $"KR floor price {Guid.NewGuid():N}"[..24];
        await kr.GetByTestId("position-text").FillAsync(secret);
        await kr.GetByTestId("record-position").ClickAsync(); // Internal unless KR chooses to share
        await Expect(kr.GetByTestId("position")).ToContainTextAsync(secret);
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-item-ko");
        await cn.GotoAsync(item);
        await Expect(cn.GetByTestId("item-history")).ToBeVisibleAsync();
        await Expect(cn.Locator("body")).Not.ToContainTextAsync(secret);
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-item-zh-Hans");

        // The KR co-chair opens the session; KR drafts the minutes, each side writes its language.
        await kr.GotoAsync(meeting);
        await kr.GetByTestId("meeting-next-status").ClickAsync(); // agenda agreed
        await Expect(kr.GetByTestId("meeting-status")).ToHaveTextAsync("의제 합의");
        await kr.GetByTestId("meeting-next-status").ClickAsync(); // in session
        await Expect(kr.GetByTestId("meeting-status")).ToHaveTextAsync("개회 중");
        await kr.GetByTestId("draft-minutes").ClickAsync();
        await kr.WaitForURLAsync(new Regex("/minutes/[0-9a-f-]{36}$"));
        var minutes = kr.Url;
        const string korean = "제1차 회의 회의록\n양측은 영구자석 수출허가 심사 기간을 30일 이내로 단축하기로 합의하였다.";
        const string chinese = "第一次会议纪要\n双方同意将永磁体出口许可审查期限缩短至30天以内。";
        await WriteAsync(kr, "ko", korean);
        await cn.GotoAsync(minutes);
        await WriteAsync(cn, "zh-Hans", chinese);

        // Shared for review, agreed by both.
        await kr.ReloadAsync();
        await kr.GetByTestId("share-for-review").ClickAsync();
        await Expect(kr.GetByTestId("minutes-status")).ToHaveTextAsync("검토 중");
        await kr.GetByTestId("agree-minutes").ClickAsync();
        await Expect(cn.GetByTestId("agreed-by")).ToHaveTextAsync("KR", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 }); // told live
        await cn.GetByTestId("agree-minutes").ClickAsync();
        await Expect(cn.GetByTestId("minutes-status")).ToHaveTextAsync("已商定");

        // Each co-chair signs what the button shows: the exact hashes an outside sha256sum gives.
        await Expect(kr.GetByTestId("signing")).ToBeVisibleAsync(Live);
        await Expect(kr.GetByTestId("signing-hashes")).ToContainTextAsync(Sha256(korean));
        await Expect(kr.GetByTestId("signing-hashes")).ToContainTextAsync(Sha256(chinese));
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-minutes-signing-ko");

        // Both co-chairs signed in longer ago than this node's window for a second factor: signing is
        // refused until they prove it again, and the page's link signs them in again and brings them back.
        var stale = signedIn + CommitteeBrowser.SecondFactorWindow + TimeSpan.FromSeconds(2) - DateTimeOffset.UtcNow;
        if (stale > TimeSpan.Zero)
        {
            await Task.Delay(stale);
        }

        await kr.GetByTestId("sign-minutes").ClickAsync();
        await Expect(kr.GetByTestId("second-factor-needed")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("signed-by")).ToHaveTextAsync("–"); // nothing signed
        await Expect(kr.GetByTestId("action-error")).ToHaveCountAsync(0); // said once, beside the button
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-minutes-second-factor-ko");
        await kr.GetByTestId("confirm-second-factor").ClickAsync();
        await console.SignInAgainAsync(kr, "kr-cochair", new Uri(minutes).AbsolutePath);
        await kr.GetByTestId("sign-minutes").ClickAsync();
        await Expect(kr.GetByTestId("minutes-status")).ToHaveTextAsync("한쪽 서명");

        await Expect(cn.GetByTestId("signing")).ToBeVisibleAsync(Live);
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-minutes-signing-zh-Hans");
        await cn.GetByTestId("sign-minutes").ClickAsync();
        await Expect(cn.GetByTestId("second-factor-needed")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-minutes-second-factor-zh-Hans");
        await cn.GetByTestId("confirm-second-factor").ClickAsync();
        await console.SignInAgainAsync(cn, "cn-cochair", new Uri(minutes).AbsolutePath);
        await cn.GetByTestId("sign-minutes").ClickAsync();

        await Expect(cn.GetByTestId("verified")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("verified")).ToBeVisibleAsync(Live);
        await Expect(kr.GetByTestId("minutes-status")).ToHaveTextAsync("양측 서명 완료 (확정)");
        await Expect(kr.GetByTestId("signature-check")).ToHaveCountAsync(2);
        await Expect(kr.GetByTestId("edit-ko")).ToHaveCountAsync(0); // locked: nothing to edit
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-minutes-verified-ko");
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-minutes-verified-zh-Hans");

        // A member of the KR delegation reading in English sees the same.
        var member = await console.SignedInAsync("kr-member", "en");
        await member.GotoAsync(minutes);
        await Expect(member.GetByTestId("verified")).ToBeVisibleAsync();
        await Expect(member.GetByTestId("sign-minutes")).ToHaveCountAsync(0); // not a co-chair
        await ConsoleBrowser.ScreenshotAsync(member, "committee-minutes-verified-en");

        // The PDF to print or keep, fetched through the console with the member's session: both texts in it.
        await Expect(member.GetByTestId("minutes-pdf")).ToBeVisibleAsync();
        var pdf = await member.APIRequest.GetAsync($"/console{new Uri(minutes).AbsolutePath}/pdf");
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.BodyAsync()))
        {
            var printed = string.Concat(document.GetPages().Select(p => p.Text)).Normalize(NormalizationForm.FormKC);
            Assert.Contains("양측은 영구자석 수출허가 심사 기간을 30일 이내로 단축하기로 합의하였다.", printed);
            Assert.Contains("双方同意将永磁体出口许可审查期限缩短至30天以内。", printed);
        }

        await member.GotoAsync(meeting);
        await Expect(member.GetByTestId("meeting-status")).ToHaveTextAsync("Minutes signed");
        await ConsoleBrowser.ScreenshotAsync(member, "committee-meeting-en");
        await member.GotoAsync("/committees");
        await Expect(member.GetByTestId("meetings")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(member, "committees-en");
    }

    [Fact]
    public async Task The_co_chairs_record_attendance_a_decision_and_an_action_item_and_CN_its_governments_approval()
    {
        var kr = await console.SignedInAsync("kr-cochair", "en");
        var cn = await console.SignedInAsync("cn-cochair", "zh-Hans");
        var meeting = await ScheduleAsync(kr);
        await kr.GetByTestId("meeting-next-status").ClickAsync();
        await Expect(kr.GetByTestId("meeting-status")).ToHaveTextAsync("Agenda agreed");
        await kr.GetByTestId("meeting-next-status").ClickAsync();
        await Expect(kr.GetByTestId("meeting-status")).ToHaveTextAsync("In session");

        // A refused form shows why at its own fields, and only there.
        await kr.GetByTestId("propose-item").ClickAsync();
        await Expect(kr.GetByTestId("item-title")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.Locator(".mud-input-control", new PageLocatorOptions { Has = kr.GetByTestId("item-title") })).ToContainTextAsync("This field is required.");
        await Expect(kr.GetByTestId("decision-title")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.GetByTestId("action-item-title")).Not.ToHaveAttributeAsync("aria-invalid", "true");

        // KR records its delegation present; CN reads it.
        await kr.GetByTestId("record-attendance").ClickAsync();
        await cn.GotoAsync(meeting);
        await Expect(cn.GetByTestId("attendance-of-KR")).ToContainTextAsync("出席");

        // A decision subject to CN's domestic approval, and an action item for CN's member.
        await kr.GetByTestId("decision-title").FillAsync("Faster export licences for NdFeB magnets");
        await kr.GetByTestId("decision-text").FillAsync("Licences are decided within 30 days.");
        await kr.GetByTestId("needs-approval-CN").ClickAsync();
        await kr.GetByTestId("record-decision").ClickAsync();
        await Expect(kr.GetByTestId("meeting-decisions")).ToContainTextAsync(new Regex(@"KR-CN/\d{4}/1 · Faster export licences"));
        await kr.GetByTestId("action-item-title").FillAsync("Report the licence backlog");
        await kr.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "Committee member (CN) · CN" }).ClickAsync();
        await kr.GetByTestId("action-item-due").FillAsync(Local(DateTimeOffset.UtcNow.AddDays(10), TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul")));
        await kr.GetByTestId("assign-action-item").ClickAsync();
        await Expect(kr.GetByTestId("meeting-action-items")).ToContainTextAsync("Report the licence backlog");
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-meeting-records-en");

        // CN's co-chair is told of the decision: the bell's entry opens the decisions, where CN records
        // its government's approval. Then CN works the action item.
        await cn.GetByTestId("bell").Locator("button").First.ClickAsync();
        await cn.GetByTestId("bell-entry").Filter(new LocatorFilterOptions { HasText = "Faster export licences" }).First.ClickAsync();
        await cn.WaitForURLAsync(new Regex("/committees/KR-CN/decisions$"));
        await cn.GetByTestId("domestic-approval").GetByTestId("approved").ClickAsync();
        await Expect(cn.GetByTestId("approval").Filter(new LocatorFilterOptions { HasText = "CN" })).ToContainTextAsync("已批准");
        await Expect(cn.GetByTestId("domestic-approval")).ToHaveCountAsync(0); // once
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-decisions-zh-Hans");
        await cn.GotoAsync("/committees/KR-CN/action-items");
        var item = cn.GetByTestId("action-item").Filter(new LocatorFilterOptions { HasText = "Report the licence backlog" });
        await item.GetByTestId("action-InProgress").ClickAsync();
        await Expect(item).ToContainTextAsync("进行中");
        await item.GetByTestId("progress-note").FillAsync("已汇总积压许可申请。");
        await item.GetByTestId("add-note").ClickAsync();
        await Expect(item).ToContainTextAsync("已汇总积压许可申请。");
        await ConsoleBrowser.ScreenshotAsync(cn, "committee-action-items-zh-Hans");

        // KR, not the owner's party, may not work it.
        await kr.GotoAsync("/committees/KR-CN/action-items");
        await Expect(kr.GetByTestId("action-item").Filter(new LocatorFilterOptions { HasText = "Report the licence backlog" }).GetByTestId("add-note")).ToHaveCountAsync(0);
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-action-items-en");

        // An item not settled goes on to the next meeting; its history reads across both.
        await kr.GotoAsync(meeting);
        await kr.GetByTestId("item-title").FillAsync("Stockpile data exchange");
        await kr.GetByTestId("item-description").FillAsync("Monthly figures of each side's stockpiles.");
        await kr.GetByTestId("propose-item").ClickAsync();
        await kr.GetByTestId("agenda-item").Filter(new LocatorFilterOptions { HasText = "Stockpile data exchange" }).Locator("a").ClickAsync();
        await Expect(kr.GetByTestId("item-history")).ToBeVisibleAsync();
        var first = kr.Url;
        await ScheduleAsync(kr);
        await kr.GotoAsync(first);
        await kr.GetByTestId("carry-over").Locator("button").First.ClickAsync();
        await kr.WaitForURLAsync(url => url != first);
        await Expect(kr.GetByTestId("item-history").Locator("tbody tr")).ToHaveCountAsync(2);
        await ConsoleBrowser.ScreenshotAsync(kr, "committee-item-history-en");
    }

    [Fact]
    public async Task An_officer_who_sits_on_no_delegation_is_not_offered_the_committee()
    {
        var officer = await console.SignedInAsync("kr-officer");
        await Expect(officer.GetByTestId("nav-committees")).ToHaveCountAsync(0);
        await officer.GotoAsync("/committees");
        await Expect(officer.GetByTestId("schedule-meeting")).ToHaveCountAsync(0);
    }

    /// <summary>A meeting in two days, its agenda closing tomorrow, times typed in Seoul's clock; returns its address.</summary>
    private static async Task<string> ScheduleAsync(IPage kr)
    {
        await SeatedAsync(kr);
        var seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");
        await kr.GetByTestId("meeting-starts").FillAsync(Local(DateTimeOffset.UtcNow.AddDays(2), seoul));
        await kr.GetByTestId("meeting-cutoff").FillAsync(Local(DateTimeOffset.UtcNow.AddDays(1), seoul));
        await kr.GetByTestId("meeting-place").FillAsync("Seoul");
        await kr.GetByTestId("schedule-meeting").ClickAsync();
        await kr.WaitForURLAsync(new Regex("/meetings/[0-9a-f-]{36}$"));
        return kr.Url;
    }

    /// <summary>The demo seats the delegations once the Committee service knows the demo people: a moment after start.</summary>
    private static async Task SeatedAsync(IPage page)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await page.GotoAsync("/committees");
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (await page.GetByTestId("schedule-meeting").CountAsync() > 0)
            {
                return;
            }

            await Task.Delay(1_000);
        }

        Assert.Fail("The demo delegations were not seated within 30 seconds.");
    }

    private static async Task WriteAsync(IPage page, string language, string text)
    {
        await page.GetByTestId($"edit-{language}").FillAsync(text);
        await page.GetByTestId($"save-{language}").ClickAsync();
        await Expect(page.GetByTestId($"hash-{language}")).ToContainTextAsync(Sha256(text));
    }

    private static string Local(DateTimeOffset moment, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(moment, zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>What <c>sha256sum</c> prints for the text's UTF-8 bytes.</summary>
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
