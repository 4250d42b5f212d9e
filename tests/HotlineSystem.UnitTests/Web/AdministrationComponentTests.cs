using System.Globalization;
using System.Text.Json;
using Bunit;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Components.Administration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HotlineSystem.UnitTests.Web;

/// <summary>The administrator pages' logic that needs no browser: the tier editor's request, the roster week in the party's zone.</summary>
public sealed class AdministrationComponentTests : BunitContext, IAsyncLifetime
{
    private static readonly TimeZoneInfo Seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public AdministrationComponentTests()
    {
        Services.AddLocalization();
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    [Theory]
    [InlineData(1, 30, "01:30:00")]
    [InlineData(0, 7, "00:07:00")]
    [InlineData(48, null, "2.00:00:00")]
    [InlineData(null, 90, "01:30:00")]
    [InlineData(0, 0, "00:00:00")]
    public void A_wait_of_hours_and_minutes_goes_to_the_API_as_a_duration(int? hours, int? minutes, string sent)
    {
        var tier = new TierDraft { Party = "CN", Role = "LiaisonOfficer", WaitHours = hours, WaitMinutes = minutes };

        var json = JsonSerializer.Serialize(tier.ToChange(), HotlineApi.Json);

        Assert.Equal(sent, JsonDocument.Parse(json).RootElement.GetProperty("wait").GetString());
    }

    [Fact]
    public void A_wait_left_empty_goes_as_none_so_that_the_server_asks_for_it()
    {
        var tier = new TierDraft { Party = "CN", Role = "LiaisonOfficer" };

        Assert.Null(tier.ToChange().Wait);
    }

    [Fact]
    public void A_wait_read_from_the_API_is_shown_in_hours_and_minutes_and_saved_unchanged()
    {
        var wait = new TimeSpan(2, 3, 5, 30); // 2 days, 3 h 5 min 30 s

        var tier = TierDraft.From(new PolicyTier("CN", "Official", "Minister", null, wait, Important: true));

        Assert.Equal((51, 5), (tier.WaitHours, tier.WaitMinutes));
        Assert.Equal(wait, tier.ToChange().Wait);
        Assert.True(tier.ToChange().Important);
    }

    [Fact]
    public void A_tier_sends_only_the_target_chosen()
    {
        var tier = new TierDraft { Party = "KR", Role = "LiaisonOfficer", OfficialTier = "Minister", UserIds = ["u-1"], WaitMinutes = 5 };

        var byRole = tier.ToChange();
        tier.Target = TierTarget.People;
        var byName = tier.ToChange();

        Assert.Equal(("KR", "LiaisonOfficer", (string?)null, (IReadOnlyList<string>?)null), (byRole.Party, byRole.Role, byRole.OfficialTier, byRole.UserIds));
        Assert.Equal(((string?)null, (string?)null, (string?)null), (byName.Party, byName.Role, byName.OfficialTier));
        Assert.Equal(["u-1"], byName.UserIds!);
    }

    [Fact]
    public void Tiers_are_added_moved_and_removed_in_the_order_they_are_sent()
    {
        var policy = PolicyDraft.From(null, counterpart: "CN");
        Assert.Equal(("CN", "LiaisonOfficer", TimeSpan.FromMinutes(15)), (policy.Tiers[0].Party, policy.Tiers[0].Role, policy.Tiers[0].Wait!.Value));

        var second = policy.Add();
        second.Role = "Official";
        second.OfficialTier = "DirectorGeneral";
        var third = policy.Add();
        third.Target = TierTarget.People;
        third.UserIds = ["minister"];

        Assert.Equal(TimeSpan.FromMinutes(30), second.Wait);
        Assert.True(policy.Move(2, -1));
        Assert.False(policy.Move(0, -1));
        Assert.False(policy.Move(2, 1));
        policy.Remove(0);
        policy.RepeatLastTier = 2;
        policy.ConfirmationMinutes = 45;

        var change = policy.ToChange();
        Assert.Equal(["minister"], change.Tiers[0].UserIds!);
        Assert.Equal("DirectorGeneral", change.Tiers[1].OfficialTier);
        Assert.Equal((2, TimeSpan.FromMinutes(45)), (change.RepeatLastTier, change.ConfirmationWindow!.Value));
    }

    [Fact]
    public void The_tier_editor_turns_what_is_typed_into_the_wait_sent()
    {
        var tier = new TierDraft { Party = "CN", Role = "LiaisonOfficer", WaitHours = 0, WaitMinutes = 15 };
        var editor = Render<TierEditor>(parameters => parameters
            .Add(e => e.Tier, tier)
            .Add(e => e.Index, 0)
            .Add(e => e.Count, 1)
            .Add(e => e.Parties, ["KR", "CN"]));

        editor.Find("input[data-testid=tier-0-wait-hours]").Change("2");
        editor.Find("input[data-testid=tier-0-wait-minutes]").Change("5");

        Assert.Equal(new TimeSpan(2, 5, 0), tier.ToChange().Wait);
    }

    [Fact]
    public void The_tier_editor_shows_the_servers_message_at_the_tiers_wait()
    {
        var editor = Render<TierEditor>(parameters => parameters
            .Add(e => e.Tier, new TierDraft { Party = "CN", Role = "LiaisonOfficer", WaitHours = 0, WaitMinutes = 0 })
            .Add(e => e.Index, 2)
            .Add(e => e.Count, 3)
            .Add(e => e.ErrorAt, field => field == "tiers[2].wait" ? "A wait is longer than zero." : null));

        Assert.Contains("A wait is longer than zero.", editor.Find("[data-testid=tier-2]").TextContent);
        Assert.Equal("true", editor.Find("input[data-testid=tier-2-wait-hours]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void The_week_begins_on_the_parties_own_Monday()
    {
        // Sunday 20:00 in UTC is already Monday 05:00 in Seoul.
        var sundayEvening = new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 12, 7), DutyWeek.MondayOf(sundayEvening, Seoul));
        Assert.Equal(new DateOnly(2026, 11, 30), DutyWeek.MondayOf(sundayEvening, TimeZoneInfo.Utc));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero), DutyWeek.StartOf(new DateOnly(2026, 12, 7), Seoul));
    }

    [Fact]
    public void Shifts_are_placed_on_the_days_and_hours_of_the_parties_zone()
    {
        var monday = new DateOnly(2026, 12, 7);
        DutySegment Shift(int fromHourUtc, int hours, string? who, Guid? overrideId = null) =>
            new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).AddHours(fromHourUtc), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).AddHours(fromHourUtc + hours),
                who, who is null ? null : "Day and night", overrideId);

        var days = DutyWeek.Place(monday, Seoul,
        [
            Shift(-9, 9, null),                 // Monday 00:00–09:00 in Seoul: nobody
            Shift(0, 12, "officer-a"),          // 09:00–21:00
            Shift(12, 12, "officer-b"),         // 21:00 to Tuesday 09:00
            Shift(24, 3, "officer-c", Guid.NewGuid()),
        ]);

        Assert.Equal(7, days.Count);
        Assert.Equal(["00:00–09:00 ", "09:00–21:00 officer-a", "21:00–24:00 officer-b"], days[0].Slots.Select(s => $"{s.Hours} {s.UserId}"));
        Assert.Equal(["00:00–09:00 officer-b", "09:00–12:00 officer-c"], days[1].Slots.Select(s => $"{s.Hours} {s.UserId}"));
        Assert.NotNull(days[1].Slots[1].OverrideId);
        Assert.All(days.Skip(2), day => Assert.Empty(day.Slots));
    }

    [Fact]
    public void A_day_that_loses_an_hour_to_summer_time_still_ends_at_midnight()
    {
        // Berlin moves its clocks from 02:00 to 03:00 on Sunday 29 March 2026.
        var monday = new DateOnly(2026, 3, 23);
        var saturdayNine = new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.FromHours(1));

        var days = DutyWeek.Place(monday, Berlin, [new DutySegment(saturdayNine, saturdayNine.AddHours(47), "officer", "Weekend", null)]);

        Assert.Equal(["09:00–24:00"], days[5].Slots.Select(s => s.Hours));
        Assert.Equal(["00:00–24:00"], days[6].Slots.Select(s => s.Hours));
        Assert.Equal(TimeSpan.FromHours(23), DutyWeek.StartOf(monday.AddDays(7), Berlin) - DutyWeek.StartOf(monday.AddDays(6), Berlin));
    }

    [Fact]
    public async Task The_week_is_read_hand_off_after_hand_off_from_the_services_answers()
    {
        var start = new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);
        var end = start.AddDays(7);
        var asked = new List<DateTimeOffset>();

        var segments = await DutyWeek.ReadAsync(at =>
        {
            asked.Add(at);
            // Nobody until 09:00 Seoul on Monday, then daily shifts; the last answer has no end.
            var answer = at < start.AddHours(9) ? new OnDutyAnswer("KR", "LiaisonOfficer", at, null, null, start.AddHours(9), null, null)
                : at < start.AddDays(3) ? new OnDutyAnswer("KR", "LiaisonOfficer", at, "officer", "Officer", at.AddDays(1), "Daily", null)
                : new OnDutyAnswer("KR", "LiaisonOfficer", at, null, null, null, null, null);
            return Task.FromResult(answer);
        }, start, end);

        Assert.Equal([start, start.AddHours(9), start.AddHours(33), start.AddHours(57), start.AddHours(81)], asked);
        Assert.Equal(end, segments[^1].Until);
        Assert.Null(segments[^1].UserId);
    }

    [Fact]
    public void The_week_grid_names_who_is_on_duty_and_marks_gaps_and_overrides()
    {
        var monday = new DateOnly(2026, 12, 7);
        var days = DutyWeek.Place(monday, Seoul,
        [
            new DutySegment(new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), null, null, null),
            new DutySegment(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), "u-1", "Daily", Guid.NewGuid()),
        ]);

        var grid = Render<DutyWeekGrid>(parameters => parameters
            .Add(g => g.Days, days)
            .Add(g => g.Today, monday)
            .Add(g => g.NameOf, id => id == "u-1" ? "Liaison officer (KR)" : id));

        var slots = grid.Find("[data-testid=duty-day-2026-12-07]").QuerySelectorAll("[data-testid=duty-slot]");
        Assert.Equal(2, slots.Length);
        Assert.Equal("00:00–09:00 Nobody on the roster", Normalize(slots[0].TextContent));
        Assert.Equal("09:00–21:00 Liaison officer (KR) override", Normalize(slots[1].TextContent));
        Assert.Contains("duty-today", grid.Find("[data-testid=duty-day-2026-12-07]").ClassName);
        Assert.Equal(7, grid.FindAll("section.duty-day").Count);
    }

    [Theory]
    [InlineData("2026-12-07T09:00", "2026-12-07T09:00:00+09:00")]
    [InlineData("2026-12-07T09:00:30", "2026-12-07T09:00:30+09:00")]
    public void A_time_typed_in_the_parties_zone_is_sent_with_its_offset(string typed, string sent)
    {
        var local = LocalTimes.Parse(typed)!.Value;

        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
        Assert.Equal(DateTimeOffset.Parse(sent, CultureInfo.InvariantCulture), LocalTimes.ToInstant(local, Seoul));
        Assert.Equal(TimeSpan.FromHours(9), LocalTimes.ToInstant(local, Seoul).Offset);
    }

    [Fact]
    public void A_rotation_goes_to_the_API_with_wall_clock_times_and_members_in_turn()
    {
        var rotation = new RosterDraft().Add(new DateOnly(2026, 12, 7));
        rotation.Name = " Weekdays ";
        rotation.Candidate = "b";
        rotation.AddCandidate();
        rotation.Candidate = "a";
        rotation.AddCandidate();
        rotation.MoveMember(1, -1);
        rotation.ValidUntil = "not a time";

        var json = JsonDocument.Parse(JsonSerializer.Serialize(rotation.ToChange(), HotlineApi.Json)).RootElement;

        Assert.Equal("Weekdays", json.GetProperty("name").GetString());
        Assert.Equal(["a", "b"], json.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("2026-12-07T09:00:00", json.GetProperty("firstHandOff").GetString());
        Assert.Equal("1.00:00:00", json.GetProperty("shiftLength").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("validUntil").ValueKind);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are disposed asynchronously only.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
