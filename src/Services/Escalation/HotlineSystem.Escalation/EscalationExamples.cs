using HotlineSystem.Escalation.Policies;
using HotlineSystem.Escalation.Rosters;

namespace HotlineSystem.Escalation;

/// <summary>Example requests for the OpenAPI document.</summary>
internal static class EscalationExamples
{
    public static readonly PolicyRequest Policy = new(
        Tiers:
        [
            new TierRequest(Party: "KR", Role: "LiaisonOfficer", OfficialTier: null, UserIds: null, Wait: TimeSpan.FromMinutes(30), Important: false),
            new TierRequest(Party: "KR", Role: "Official", OfficialTier: "DirectorGeneral", UserIds: null, Wait: TimeSpan.FromHours(2), Important: true),
        ],
        RepeatLastTier: 1,
        ConfirmationWindow: TimeSpan.FromHours(1));

    public static readonly DutyRosterRequest Roster = new(
        TimeZone: "Asia/Seoul",
        Rotations:
        [
            new RotationRequest(Name: "Weekly", Members: ["kr-officer", "kr-officer-2"], FirstHandOff: new DateTime(2026, 12, 7, 9, 0, 0),
                ShiftLength: TimeSpan.FromDays(7), ValidFrom: new DateTime(2026, 12, 7, 0, 0, 0), ValidUntil: null),
        ]);
}
