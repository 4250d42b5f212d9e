using HotlineSystem.Escalation.Rosters;

namespace HotlineSystem.UnitTests.Escalation;

public sealed class DutyRosterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateTime Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0);

    private static Rotation Daily(string name, DateTime firstHandOff, params string[] members) =>
        new(name, members, firstHandOff, TimeSpan.FromDays(1), null, null);

    private static DutyRoster Roster(string party, string timeZone, params Rotation[] rotations)
    {
        var roster = DutyRoster.Create(party, "LiaisonOfficer", Now);
        roster.Define(timeZone, rotations, "admin", Now);
        return roster;
    }

    [Fact]
    public void At_15_30_UTC_a_roster_handing_off_at_midnight_KST_has_handed_off_while_one_handing_off_at_midnight_CST_has_not()
    {
        var kr = Roster("KR", "Asia/Seoul", Daily("Nights", Local(12, 1, 0), "kr-kim", "kr-lee"));
        var cn = Roster("CN", "Asia/Shanghai", Daily("Nights", Local(12, 1, 0), "cn-wang", "cn-li"));
        var at = Utc(12, 1, 15, 30); // 00:30 on 2 December in Seoul, 23:30 on 1 December in Shanghai

        Assert.Equal(new OnDuty("kr-lee", Utc(12, 2, 15), "Nights", null), kr.OnDutyAt(at));
        Assert.Equal(new OnDuty("cn-wang", Utc(12, 1, 16), "Nights", null), cn.OnDutyAt(at));
    }

    [Fact]
    public void Members_take_turns_in_order_one_shift_each_and_start_over()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a", "b", "c"));

        // 09:00 in Seoul is 00:00 UTC: each UTC day from 1 December is one shift.
        var onDuty = Enumerable.Range(1, 7).Select(day => roster.OnDutyAt(Utc(12, day, 12)).UserId);

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], onDuty);
    }

    [Fact]
    public void Twelve_hour_shifts_hand_off_twice_a_day_at_the_local_times_of_the_first_hand_off()
    {
        var roster = Roster("CN", "Asia/Shanghai", new Rotation("Halves", ["day", "night"], Local(12, 1, 8), TimeSpan.FromHours(12), null, null));

        Assert.Equal("day", roster.OnDutyAt(Utc(12, 3, 0)).UserId); // 08:00 Shanghai
        Assert.Equal("night", roster.OnDutyAt(Utc(12, 3, 12)).UserId); // 20:00 Shanghai
        Assert.Equal("night", roster.OnDutyAt(Utc(12, 3, 23, 59)).UserId); // 07:59 Shanghai next morning
        Assert.Equal(Utc(12, 4, 0), roster.OnDutyAt(Utc(12, 3, 23, 59)).Until);
    }

    [Fact]
    public void A_rotation_valid_before_its_first_hand_off_counts_back_from_it()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 10, 9), "a", "b", "c") with { ValidFrom = Local(12, 1, 9) });

        Assert.Equal("c", roster.OnDutyAt(Utc(12, 9, 12)).UserId);
        Assert.Equal("a", roster.OnDutyAt(Utc(12, 10, 12)).UserId);
    }

    [Fact]
    public void An_override_wins_over_the_rotation_until_it_ends()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a", "b"));
        var cover = roster.AddOverride("standby", Utc(12, 1, 6), Utc(12, 1, 10), "admin", Now);

        Assert.Equal(new OnDuty("standby", Utc(12, 1, 10), null, cover.Id), roster.OnDutyAt(Utc(12, 1, 6)));
        Assert.Equal(new OnDuty("a", Utc(12, 2, 0), "Days", null), roster.OnDutyAt(Utc(12, 1, 10)));
    }

    [Fact]
    public void Where_two_overrides_cover_a_moment_the_one_added_last_wins()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a"));
        roster.AddOverride("first", Utc(12, 2, 0), Utc(12, 3, 0), "admin", Now);
        roster.AddOverride("second", Utc(12, 2, 6), Utc(12, 2, 8), "admin", Now);

        Assert.Equal(("first", Utc(12, 2, 6)), (roster.OnDutyAt(Utc(12, 2, 1)).UserId, roster.OnDutyAt(Utc(12, 2, 1)).Until));
        Assert.Equal("second", roster.OnDutyAt(Utc(12, 2, 7)).UserId);
        Assert.Equal("first", roster.OnDutyAt(Utc(12, 2, 8)).UserId);
    }

    [Fact]
    public void A_shift_ends_early_where_an_override_starts()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a"));
        roster.AddOverride("standby", Utc(12, 1, 18), Utc(12, 1, 20), "admin", Now);

        Assert.Equal(Utc(12, 1, 18), roster.OnDutyAt(Utc(12, 1, 12)).Until);
    }

    [Fact]
    public void A_gap_between_rotations_has_nobody_on_duty_until_the_next_rotation_starts()
    {
        var roster = Roster("KR", "Asia/Seoul",
            Daily("December", Local(12, 1, 9), "a") with { ValidUntil = Local(12, 20, 9) },
            Daily("January", Local(1, 1, 9).AddYears(1), "b"));

        Assert.Equal(new OnDuty("a", Utc(12, 20, 0), "December", null), roster.OnDutyAt(Utc(12, 19, 12)));
        Assert.Equal(OnDuty.Nobody with { Until = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero) }, roster.OnDutyAt(Utc(12, 24, 12)));
        Assert.Equal("b", roster.OnDutyAt(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)).UserId);
    }

    [Fact]
    public void Before_every_rotation_and_override_nobody_is_on_duty()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a"));

        Assert.Null(roster.OnDutyAt(Utc(11, 30, 23, 59)).UserId);
        Assert.Equal("a", roster.OnDutyAt(Utc(12, 1, 0)).UserId);
    }

    [Fact]
    public void When_clocks_go_forward_the_hand_off_stays_at_the_local_time_of_day()
    {
        // Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026; 09:00 local is then 07:00 UTC.
        var roster = Roster("DE", "Europe/Berlin", Daily("Days", new DateTime(2026, 3, 28, 9, 0, 0), "a", "b"));

        Assert.Equal("a", roster.OnDutyAt(Utc(3, 29, 6, 59)).UserId);
        Assert.Equal("b", roster.OnDutyAt(Utc(3, 29, 7)).UserId);
        Assert.Equal(Utc(3, 29, 7), roster.OnDutyAt(Utc(3, 28, 12)).Until); // a 23-hour shift
    }

    [Fact]
    public void When_clocks_go_back_the_repeated_hour_does_not_hand_back()
    {
        // Berlin goes from 03:00 UTC+2 back to 02:00 UTC+1 at 01:00 UTC on 25 October 2026: 02:30 happens twice.
        var roster = Roster("DE", "Europe/Berlin", Daily("Nights", new DateTime(2026, 10, 24, 2, 30, 0), "a", "b"));

        Assert.Equal("b", roster.OnDutyAt(Utc(10, 25, 0, 30)).UserId); // 02:30 the first time
        Assert.Equal("b", roster.OnDutyAt(Utc(10, 25, 1, 15)).UserId); // 02:15 the second time
        Assert.Equal("a", roster.OnDutyAt(Utc(10, 26, 1, 30)).UserId);
    }

    [Fact]
    public void A_roster_refuses_overlapping_rotations()
    {
        var roster = DutyRoster.Create("KR", "LiaisonOfficer", Now);

        Assert.Throws<ArgumentException>(() => roster.Define("Asia/Seoul",
            [Daily("Open-ended", Local(12, 1, 9), "a"), Daily("Later", Local(12, 5, 9), "b")], "admin", Now));
    }

    [Fact]
    public void Each_change_is_a_new_version_and_overrides_survive_a_new_definition()
    {
        var roster = Roster("KR", "Asia/Seoul", Daily("Days", Local(12, 1, 9), "a"));
        roster.AddOverride("standby", Utc(12, 1, 6), Utc(12, 1, 10), "admin", Now);
        roster.Define("Asia/Seoul", [Daily("Days", Local(12, 1, 9), "b")], "admin", Now);

        Assert.Equal(3, roster.Version);
        Assert.Equal("standby", roster.OnDutyAt(Utc(12, 1, 7)).UserId);
    }

    [Fact]
    public void Overrides_that_ended_long_ago_are_dropped_on_the_next_change()
    {
        var roster = Roster("KR", "Asia/Seoul");
        roster.AddOverride("old", Now.AddDays(-60), Now.AddDays(-31), "admin", Now);
        roster.AddOverride("recent", Now.AddDays(-2), Now.AddDays(-1), "admin", Now);
        roster.AddOverride("next", Now, Now.AddDays(1), "admin", Now);

        Assert.Equal(["recent", "next"], roster.Overrides.Select(o => o.UserId));
    }

    [Fact]
    public void A_local_time_in_the_skipped_spring_hour_is_moved_forward_by_the_gap()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal(Utc(3, 29, 1, 30), LocalClock.ToInstant(new DateTime(2026, 3, 29, 2, 30, 0), berlin)); // shows 03:30
        Assert.Equal(Utc(10, 25, 0, 30), LocalClock.ToInstant(new DateTime(2026, 10, 25, 2, 30, 0), berlin)); // the first 02:30
    }
}
