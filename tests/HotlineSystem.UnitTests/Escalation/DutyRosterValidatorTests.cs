using HotlineSystem.Escalation.Rosters;
using Microsoft.Extensions.Time.Testing;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Escalation;

public sealed class DutyRosterRequestValidatorTests
{
    private readonly DutyRosterRequestValidator _validator = new();

    private static RotationRequest Rotation(
        string name = "Days", DateTime? firstHandOff = null, TimeSpan? shift = null, DateTime? validFrom = null, DateTime? validUntil = null,
        params string[] members) =>
        new(name, members.Length > 0 ? members : ["kr-kim", "kr-lee"], firstHandOff ?? new DateTime(2026, 12, 1, 9, 0, 0), shift ?? TimeSpan.FromDays(1), validFrom, validUntil);

    private static DutyRosterRequest Roster(params RotationRequest[] rotations) => new("Asia/Seoul", rotations);

    [Fact]
    public Task A_roster_of_one_daily_rotation_passes() => PassesAsync(_validator, Roster(Rotation()));

    [Fact]
    public Task A_roster_without_a_time_zone_passes_and_takes_its_party_s() => PassesAsync(_validator, Roster(Rotation()) with { TimeZone = null });

    [Fact]
    public Task A_roster_without_rotations_passes() => PassesAsync(_validator, Roster());

    [Fact]
    public Task Rotations_that_follow_each_other_without_a_gap_pass() =>
        PassesAsync(_validator, Roster(
            Rotation("December", validUntil: new DateTime(2027, 1, 1, 9, 0, 0)),
            Rotation("January", firstHandOff: new DateTime(2027, 1, 1, 9, 0, 0))));

    [Fact]
    public Task An_open_ended_rotation_and_a_later_one_overlap() =>
        FailsOnlyAsync(_validator, Roster(Rotation("Open-ended"), Rotation("Later", firstHandOff: new DateTime(2027, 1, 1, 9, 0, 0))),
            "rotations[1].validFrom", "overlapping-rotations");

    [Fact]
    public Task A_rotation_that_starts_before_an_earlier_listed_one_ends_overlaps_it() =>
        FailsOnlyAsync(_validator, Roster(
            Rotation("Winter", validUntil: new DateTime(2027, 3, 1, 9, 0, 0)),
            Rotation("Holidays", validFrom: new DateTime(2026, 12, 24, 0, 0, 0), validUntil: new DateTime(2026, 12, 27, 0, 0, 0))),
            "rotations[1].validFrom", "overlapping-rotations");

    [Fact]
    public Task A_time_zone_that_does_not_exist_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation()) with { TimeZone = "Asia/Pyongyang-Standard" }, "timeZone", "unknown-time-zone");

    [Fact]
    public Task A_rotation_without_members_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation() with { Members = [] }), "rotations[0].members", "required");

    [Fact]
    public Task A_blank_member_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation() with { Members = ["kr-kim", " "] }), "rotations[0].members[1]", "required");

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public Task A_shift_of_zero_or_negative_length_is_refused(string shift) =>
        FailsOnlyAsync(_validator, Roster(Rotation(shift: TimeSpan.Parse(shift))), "rotations[0].shiftLength", "shift-not-positive");

    [Fact]
    public Task A_shift_of_ninety_minutes_is_refused_as_not_whole_hours() =>
        FailsOnlyAsync(_validator, Roster(Rotation(shift: TimeSpan.FromMinutes(90))), "rotations[0].shiftLength", "shift-not-whole-hours");

    [Fact]
    public Task A_shift_longer_than_28_days_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation(shift: TimeSpan.FromDays(29))), "rotations[0].shiftLength", "shift-too-long");

    [Fact]
    public Task A_rotation_without_a_shift_length_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation() with { ShiftLength = null }), "rotations[0].shiftLength", "required");

    [Fact]
    public Task A_first_hand_off_given_in_UTC_rather_than_local_time_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation(firstHandOff: new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))),
            "rotations[0].firstHandOff", "local-time-expected");

    [Fact]
    public Task A_rotation_that_ends_before_it_starts_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation(validUntil: new DateTime(2026, 11, 30, 9, 0, 0))), "rotations[0].validUntil", "valid-until-not-after-start");

    [Fact]
    public Task A_rotation_without_a_name_is_refused() =>
        FailsOnlyAsync(_validator, Roster(Rotation(name: "")), "rotations[0].name", "required");

    [Fact]
    public Task A_roster_without_a_rotations_list_is_refused() =>
        FailsOnlyAsync(_validator, new DutyRosterRequest("Asia/Seoul", null), "rotations", "required");

    [Theory]
    [InlineData("LiaisonOfficer")]
    [InlineData("Official")]
    public void A_role_of_the_domain_may_have_a_roster(string role) => Assert.Null(DutyRosterEndpoints.UnknownRole(role));

    [Theory]
    [InlineData("liaisonofficer")]
    [InlineData("DutyOfficer")]
    public void A_role_that_does_not_exist_is_refused_naming_the_role(string role)
    {
        var error = DutyRosterEndpoints.UnknownRole(role);

        Assert.Equal(("role", "unknown-role"), (error?.Field, error?.Code));
    }

    [Theory]
    [InlineData("Asia/Seoul", true)]
    [InlineData("Asia/Ho_Chi_Minh", true)]
    [InlineData("Asia/Vientiane", true)]
    [InlineData("Saigon", false)]
    [InlineData(null, false)]
    public void A_time_zone_is_an_IANA_name_this_machine_knows(string? timeZone, bool exists) =>
        Assert.Equal(exists, IanaTimeZones.Exists(timeZone));
}

public sealed class DutyOverrideRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DutyOverrideRequestValidator _validator = new(new FakeTimeProvider(Now));

    [Fact]
    public Task An_override_for_the_coming_night_passes() =>
        PassesAsync(_validator, new DutyOverrideRequest("kr-kim", Now.AddHours(12), Now.AddHours(24)));

    [Fact]
    public Task An_override_that_ends_before_it_starts_is_refused() =>
        FailsOnlyAsync(_validator, new DutyOverrideRequest("kr-kim", Now.AddHours(12), Now.AddHours(11)), "until", "until-not-after-from");

    [Fact]
    public Task An_override_that_has_already_ended_is_refused() =>
        FailsOnlyAsync(_validator, new DutyOverrideRequest("kr-kim", Now.AddHours(-12), Now.AddHours(-1)), "until", "override-ended");

    [Fact]
    public Task An_override_longer_than_90_days_is_refused() =>
        FailsOnlyAsync(_validator, new DutyOverrideRequest("kr-kim", Now, Now.AddDays(91)), "until", "override-too-long");

    [Fact]
    public Task An_override_without_a_person_is_refused() =>
        FailsOnlyAsync(_validator, new DutyOverrideRequest(null, Now, Now.AddDays(1)), "userId", "required");
}
