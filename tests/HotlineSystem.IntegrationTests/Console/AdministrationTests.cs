using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>The embedded host with a third party, Viet Nam, which has no channel yet: one for the administrators to open.</summary>
public sealed class AdministrationBrowser() : ConsoleBrowser(new Dictionary<string, string>
{
    ["Registry__Seed__Parties__2__Code"] = "VN",
    ["Registry__Seed__Parties__2__EnglishName"] = "Socialist Republic of Viet Nam",
    ["Registry__Seed__Parties__2__NativeName"] = "Cộng hòa Xã hội chủ nghĩa Việt Nam",
    ["Registry__Seed__Parties__2__TimeZone"] = "Asia/Ho_Chi_Minh",
    ["Registry__Seed__Parties__2__WorkingLanguage"] = "vi",
});

/// <summary>
/// The administrator pages as a party's administrator uses them (signing in with an authenticator
/// code), proven by reading the pages back after a reload, which reads the services again.
/// </summary>
public sealed class AdministrationTests(AdministrationBrowser console) : IClassFixture<AdministrationBrowser>
{
    private static readonly TimeZoneInfo Seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");

    [Fact]
    public async Task An_administrator_edits_a_policy_and_the_change_holds_after_a_reload()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GetByTestId("nav-admin-policies").ClickAsync();
        await Expect(kr.Locator("h1")).ToHaveTextAsync("Escalation policies of KR");
        await kr.GetByTestId("edit-KR-CN-Sev2").ClickAsync();
        var editor = kr.GetByTestId("policy-editor");
        await Expect(editor.GetByTestId("policy-version")).ToContainTextAsync("Version 1");

        // The counterpart's officer is called after 7 minutes, not 15; a new tier names KR's Minister
        // after an hour and a half, is important, and moves up to be the second.
        await kr.GetByTestId("tier-0-wait-minutes").FillAsync("7");
        await kr.GetByTestId("add-tier").ClickAsync();
        await editor.GetByTestId("tier-3").GetByText("Named people").ClickAsync();
        await Choices.ChooseAsync(kr, "tier-3-people", "Minister (KR) (kr-minister)");
        await Choices.CloseAsync(kr);
        await kr.GetByTestId("tier-3-wait-hours").FillAsync("1");
        await kr.GetByTestId("tier-3-wait-minutes").FillAsync("30");
        await kr.GetByTestId("tier-3-important").ClickAsync();
        // Each move waits for the page to show it: a click that beats the re-render would land on the
        // row that was there before (the server's handler is the old row's) and move the wrong tier.
        await kr.GetByTestId("tier-3-up").ClickAsync();
        await Expect(kr.GetByTestId("tier-2-people")).ToHaveValueAsync("Minister (KR) (kr-minister)");
        await kr.GetByTestId("tier-2-up").ClickAsync();
        await Expect(kr.GetByTestId("tier-1-people")).ToHaveValueAsync("Minister (KR) (kr-minister)");
        await kr.GetByTestId("repeat-last-tier").FillAsync("3");
        await ConsoleBrowser.ScreenshotAsync(kr, "admin-policy-edited-en");
        await kr.GetByTestId("save-policy").ClickAsync();

        await Expect(kr.GetByTestId("notice")).ToContainTextAsync("is saved");
        await Expect(kr.GetByTestId("refused")).ToHaveCountAsync(0);
        await Expect(editor.GetByTestId("policy-version")).ToContainTextAsync("Version 2");

        await kr.ReloadAsync();
        var row = kr.GetByTestId("policies").Locator("tr", new LocatorLocatorOptions { HasText = "Sev2 high" });
        await Expect(row.GetByTestId("policy-tiers")).ToContainTextAsync("CN Liaison officer, after 7 min");
        await Expect(row.GetByTestId("policy-tiers").Locator("li").Nth(1)).ToHaveTextAsync("Minister (KR), after 1 h 30 min · important");
        await Expect(row).ToContainTextAsync("The last tier repeats 3 times.");
        await kr.GetByTestId("edit-KR-CN-Sev2").ClickAsync();
        await Expect(kr.GetByTestId("tier-0-wait-minutes")).ToHaveValueAsync("7");
        await Expect(kr.GetByTestId("tier-1-wait-hours")).ToHaveValueAsync("1");
        await Expect(kr.GetByTestId("tier-1-wait-minutes")).ToHaveValueAsync("30");
        await Expect(kr.GetByTestId("tier-1-people")).ToHaveValueAsync("Minister (KR) (kr-minister)");
        await Expect(kr.GetByTestId("policy-editor").Locator("[data-testid^=tier-][data-testid$=-wait-hours]")).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task A_wait_the_server_refuses_is_explained_at_its_field()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GotoAsync("/admin/policies");
        await kr.GetByTestId("edit-KR-CN-Sev1").ClickAsync();

        await kr.GetByTestId("tier-1-wait-hours").FillAsync("0");
        await kr.GetByTestId("tier-1-wait-minutes").FillAsync("0");
        await kr.GetByTestId("save-policy").ClickAsync();

        await Expect(kr.GetByTestId("refused")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("tier-1-wait-hours")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.GetByTestId("tier-1")).ToContainTextAsync("A wait is longer than zero.");
        await ConsoleBrowser.ScreenshotAsync(kr, "admin-policy-refused-en");
    }

    [Fact]
    public async Task A_policy_changed_by_someone_else_meanwhile_is_not_overwritten_but_reloaded()
    {
        var first = await console.SignedInAsync("kr-admin");
        await first.GotoAsync("/admin/policies");
        await first.GetByTestId("pick-severity").ClickAsync();
        await first.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Sev3 moderate", Exact = true }).ClickAsync();
        await first.GetByTestId("open-policy").ClickAsync();
        await Expect(first.GetByTestId("policy-version")).ToContainTextAsync("A new policy");

        var second = await console.SignedInAsync("kr-admin");
        await second.GotoAsync("/admin/policies");
        await second.GetByTestId("pick-severity").ClickAsync();
        await second.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Sev3 moderate", Exact = true }).ClickAsync();
        await second.GetByTestId("open-policy").ClickAsync();
        await second.GetByTestId("tier-0-wait-minutes").FillAsync("40");
        await second.GetByTestId("save-policy").ClickAsync();
        await Expect(second.GetByTestId("policy-version")).ToContainTextAsync("Version 1");

        await first.GetByTestId("tier-0-wait-minutes").FillAsync("20");
        await first.GetByTestId("save-policy").ClickAsync();

        await Expect(first.GetByTestId("stale")).ToContainTextAsync("Someone changed this policy after you opened it");
        await first.GetByTestId("reload").ClickAsync();
        await Expect(first.GetByTestId("policy-version")).ToContainTextAsync("Version 1");
        await Expect(first.GetByTestId("tier-0-wait-minutes")).ToHaveValueAsync("40");
    }

    [Fact]
    public async Task An_administrator_sets_a_roster_and_an_override_and_the_week_shows_them_in_Seoul_time()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GetByTestId("nav-admin-rosters").ClickAsync();
        await Expect(kr.Locator("h1")).ToHaveTextAsync("Duty rosters of KR");
        await Expect(kr.GetByTestId("roster-zone")).ToContainTextAsync("Asia/Seoul (UTC+9)");
        await Expect(kr.GetByTestId("roster-empty")).ToBeVisibleAsync();

        await kr.GetByTestId("add-rotation").ClickAsync();
        await kr.GetByTestId("rotation-0-name").FillAsync("Day and night");
        await kr.GetByTestId("rotation-0-shift").FillAsync("12");
        await Choices.ChooseAsync(kr, "rotation-0-candidate", "Liaison officer (KR) (kr-officer)");
        await kr.GetByTestId("rotation-0-add-member").ClickAsync();
        await Expect(kr.GetByTestId("rotation-0-members")).ToContainTextAsync("Liaison officer (KR)");
        await kr.GetByTestId("save-roster").ClickAsync();

        // The rotation starts this Monday at 09:00 Seoul time, in 12-hour shifts.
        await Expect(kr.GetByTestId("notice")).ToContainTextAsync("roster is saved");
        var monday = MondayInSeoul();
        var first = kr.GetByTestId($"duty-day-{monday:yyyy-MM-dd}").GetByTestId("duty-slot");
        await Expect(first.Nth(0)).ToContainTextAsync("00:00–09:00 Nobody on the roster");
        await Expect(first.Nth(1)).ToContainTextAsync("09:00–21:00 Liaison officer (KR)");
        await Expect(first.Nth(2)).ToContainTextAsync("21:00–24:00 Liaison officer (KR)");

        // Today, all day, by override.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Seoul).DateTime);
        await Choices.ChooseAsync(kr, "override-person", "Liaison officer (KR) (kr-officer)");
        await kr.GetByTestId("override-from").FillAsync($"{today:yyyy-MM-dd}T00:00");
        await kr.GetByTestId("override-until").FillAsync($"{today.AddDays(1):yyyy-MM-dd}T00:00");
        await kr.GetByTestId("add-override").ClickAsync();
        await Expect(kr.GetByTestId("override")).ToHaveCountAsync(1);
        await Expect(kr.GetByTestId("override")).ToContainTextAsync($"{today:yyyy-MM-dd} 00:00 UTC+9 – {today.AddDays(1):yyyy-MM-dd} 00:00 UTC+9");
        var todaySlots = kr.GetByTestId($"duty-day-{today:yyyy-MM-dd}").GetByTestId("duty-slot");
        await Expect(todaySlots).ToHaveCountAsync(1);
        await Expect(todaySlots).ToContainTextAsync("00:00–24:00 Liaison officer (KR) override");
        await ConsoleBrowser.ScreenshotAsync(kr, "admin-roster-en");

        await kr.ReloadAsync();
        await Expect(kr.GetByTestId("rotation-0-name")).ToHaveValueAsync("Day and night");
        await Expect(kr.GetByTestId("rotation-0-shift")).ToHaveValueAsync("12");
        await Expect(kr.GetByTestId("override")).ToHaveCountAsync(1);

        await kr.GetByTestId("remove-override").ClickAsync();
        await Expect(kr.GetByTestId("overrides-empty")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId($"duty-day-{today:yyyy-MM-dd}")).Not.ToContainTextAsync("override");
    }

    [Fact]
    public async Task An_administrator_creates_a_person_grants_a_role_and_disables_them()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GotoAsync("/admin/people");
        var userName = $"kr-analyst-{Guid.NewGuid():N}"[..18];

        await kr.GetByTestId("field-user-name").FillAsync(userName);
        await kr.GetByTestId("field-display-name").FillAsync("Analyst (KR)");
        await Choices.ChooseAsync(kr, "field-roles", "Liaison officer");
        await Choices.CloseAsync(kr);
        await kr.GetByTestId("field-password").FillAsync("analyst-password-2026");
        await kr.GetByTestId("create-person").ClickAsync();

        await Expect(kr.GetByTestId("notice")).ToContainTextAsync($"Analyst (KR) ({userName}) can now sign in.");
        var row = kr.GetByTestId("people").Locator("tr", new LocatorLocatorOptions { HasText = userName });
        await Expect(row.GetByTestId("account-state")).ToContainTextAsync("Active");
        await Expect(kr.GetByTestId("person")).ToContainTextAsync("Analyst (KR)");

        await Choices.ChooseAsync(kr, "grant-role", "Committee member");
        await kr.GetByTestId("grant").ClickAsync();
        await Expect(kr.GetByTestId("roles-held")).ToContainTextAsync("Committee member");

        await kr.GetByTestId("disable-reason").FillAsync("Moved to another ministry");
        await kr.GetByTestId("disable").ClickAsync();
        await Expect(row.GetByTestId("account-state")).ToContainTextAsync("Disabled");
        await ConsoleBrowser.ScreenshotAsync(kr, "admin-people-disabled-en");

        await kr.ReloadAsync();
        row = kr.GetByTestId("people").Locator("tr", new LocatorLocatorOptions { HasText = userName });
        await Expect(row.GetByTestId("account-state")).ToContainTextAsync("Disabled");
        await Expect(row).ToContainTextAsync("Liaison officer, Committee member");
    }

    [Fact]
    public async Task A_name_already_taken_is_said_at_the_user_name()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GotoAsync("/admin/people");

        await kr.GetByTestId("field-user-name").FillAsync("kr-officer");
        await kr.GetByTestId("field-display-name").FillAsync("A second officer");
        await Choices.ChooseAsync(kr, "field-roles", "Liaison officer");
        await Choices.CloseAsync(kr);
        await kr.GetByTestId("field-password").FillAsync("officer-password-2026");
        await kr.GetByTestId("create-person").ClickAsync();

        await Expect(kr.GetByTestId("field-user-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.GetByTestId("new-person")).ToContainTextAsync("This user name is taken.");
    }

    [Fact]
    public async Task KR_proposes_a_channel_to_VN_and_it_opens_when_VNs_administrator_accepts()
    {
        var kr = await console.SignedInAsync("kr-admin");
        await kr.GetByTestId("nav-admin-channels").ClickAsync();
        await Expect(kr.Locator("h1")).ToHaveTextAsync("Channels of KR");

        await kr.GetByTestId("field-counterpart").FillAsync("vn");
        await kr.GetByTestId("field-channel-name").FillAsync("Korea–Viet Nam rare-earth partnership");
        await kr.GetByTestId("propose-channel").ClickAsync();

        var krRow = kr.GetByTestId("channels").Locator("tr", new LocatorLocatorOptions { HasText = "KR-VN" });
        await Expect(krRow.GetByTestId("channel-state")).ToContainTextAsync("Proposed");
        await Expect(krRow.GetByTestId("channel-state")).ToContainTextAsync("Awaiting acceptance by VN");
        await Expect(krRow.GetByTestId("accept")).ToHaveCountAsync(0);
        // The proposal clears the form once the list is read again; typing before that would be wiped.
        await Expect(kr.GetByTestId("notice")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("field-counterpart")).ToHaveValueAsync("");

        await kr.GetByTestId("field-counterpart").FillAsync("VN");
        await kr.GetByTestId("field-channel-name").FillAsync("Once more");
        await kr.GetByTestId("propose-channel").ClickAsync();
        await Expect(kr.GetByTestId("field-counterpart")).ToHaveAttributeAsync("aria-invalid", "true");

        var vn = await console.SignedInAsync("vn-admin");
        await vn.GotoAsync("/admin/channels");
        var vnRow = vn.GetByTestId("channels").Locator("tr", new LocatorLocatorOptions { HasText = "KR-VN" });
        await Expect(vnRow.GetByTestId("channel-state")).ToContainTextAsync("Proposed by KR: awaiting your acceptance");
        await ConsoleBrowser.ScreenshotAsync(vn, "admin-channel-proposed-en");
        await vnRow.GetByTestId("accept").ClickAsync();
        await Expect(vnRow.GetByTestId("channel-state")).ToContainTextAsync("Open");

        await kr.ReloadAsync();
        await Expect(kr.GetByTestId("channels").Locator("tr", new LocatorLocatorOptions { HasText = "KR-VN" }).GetByTestId("channel-state")).ToContainTextAsync("Open");
    }

    [Fact]
    public async Task Someone_who_is_not_an_administrator_has_no_administration_menu_and_the_pages_say_so()
    {
        var officer = await console.SignedInAsync("kr-officer");
        await Expect(officer.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        await Expect(officer.GetByTestId("nav-admin")).ToHaveCountAsync(0);

        await officer.GotoAsync("/admin/people");

        await Expect(officer.GetByTestId("admin-only")).ToBeVisibleAsync();
        await Expect(officer.GetByTestId("people")).ToHaveCountAsync(0);
    }

    public static TheoryData<string> Languages() => new() { "en", "ko", "zh-Hans" };

    /// <summary>Each page with something on it, in each language: the heading in that language, no serious accessibility violation, and a screenshot.</summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_administrator_pages_speak_the_administrators_language(string language)
    {
        var kr = await console.SignedInAsync("kr-admin", language);
        var headings = new Dictionary<string, string[]>
        {
            ["people"] = ["People of KR", "KR 사용자", "KR 人员"],
            ["policies"] = ["Escalation policies of KR", "KR의 상향 보고 정책", "KR 的升级策略"],
            ["rosters"] = ["Duty rosters of KR", "KR 당직 근무표", "KR 值班表"],
            ["channels"] = ["Channels of KR", "KR의 채널", "KR 的渠道"],
        };
        var column = Array.IndexOf(["en", "ko", "zh-Hans"], language);

        foreach (var (name, heading) in headings)
        {
            await kr.GotoAsync($"/console/language?language={language}&returnUrl={Uri.EscapeDataString("/admin/" + name)}");
            await Expect(kr.Locator("h1")).ToHaveTextAsync(heading[column]);
            await Expect(kr.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
            if (name == "policies")
            {
                await kr.GetByTestId("edit-KR-CN-Sev1").ClickAsync();
                await Expect(kr.GetByTestId("policy-editor")).ToBeVisibleAsync();
            }
            else if (name == "rosters")
            {
                await OfficialsRosterAsync(kr);
            }
            else if (name == "people")
            {
                await kr.GetByTestId("people").Locator("tr", new LocatorLocatorOptions { HasText = "kr-dg" }).GetByTestId("manage").ClickAsync();
                await Expect(kr.GetByTestId("person")).ToBeVisibleAsync();
            }

            var serious = (await kr.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{name} ({language}): " + string.Join("\n", serious.Select(v => $"{v.Id}: {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}")));
            await ConsoleBrowser.ScreenshotAsync(kr, $"admin-{name}-{language}");
        }

        // A tablet, upright: the week wraps and the tier editor stacks, nothing is cut off.
        await kr.SetViewportSizeAsync(768, 1024);
        await kr.GotoAsync("/admin/rosters");
        await OfficialsRosterAsync(kr);
        await ConsoleBrowser.ScreenshotAsync(kr, $"admin-rosters-tablet-{language}");
        await kr.GotoAsync("/admin/policies");
        await kr.GetByTestId("edit-KR-CN-Sev1").ClickAsync();
        await ConsoleBrowser.ScreenshotAsync(kr, $"admin-policies-tablet-{language}");
        var overflow = await kr.EvaluateAsync<bool>("document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "The policy page scrolls sideways on a tablet.");
    }

    /// <summary>The officials' roster shown; on first use, a rotation of KR's three officials in daily shifts, set through the page.</summary>
    private static async Task OfficialsRosterAsync(IPage page)
    {
        await page.GetByTestId("roster-role").ClickAsync();
        await page.GetByRole(AriaRole.Option).Nth(3).ClickAsync(); // Official, in any language
        // Until the circuit has taken the choice, the liaison officers' roster is still on the page.
        var officials = page.Locator("[data-testid=roster][data-role=Official]");
        await Expect(officials.GetByTestId("roster-empty").Or(officials.GetByTestId("duty-week"))).ToBeVisibleAsync();
        if (await page.GetByTestId("roster-empty").CountAsync() == 0)
        {
            return;
        }

        await page.GetByTestId("add-rotation").ClickAsync();
        await page.GetByTestId("rotation-0-name").FillAsync("Officials");
        foreach (var official in new[] { "kr-dg", "kr-viceminister", "kr-minister" })
        {
            await page.GetByTestId("rotation-0-candidate").ClickAsync();
            await page.GetByRole(AriaRole.Option).Filter(new LocatorFilterOptions { HasText = $"({official})" }).ClickAsync();
            await page.GetByTestId("rotation-0-add-member").ClickAsync();
        }

        await page.GetByTestId("save-roster").ClickAsync();
        await Expect(page.GetByTestId("duty-week")).ToBeVisibleAsync();
    }

    private static DateOnly MondayInSeoul()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Seoul).DateTime);
        return today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
    }
}
