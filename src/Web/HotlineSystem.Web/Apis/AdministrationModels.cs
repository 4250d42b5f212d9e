using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.Web.Apis;

// What the administrator pages read from and send to the Identity and Escalation APIs (docs/api.md):
// the console's own records of those answers and requests, apart from the officers' (ApiModels.cs).

/// <summary>A person of the administrator's party (GET /api/users).</summary>
public sealed record UserAccount(
    Guid Id,
    string UserName,
    string DisplayName,
    string? Email,
    string Party,
    IReadOnlyList<string> Roles,
    string? OfficialTier,
    bool Active,
    bool SecondFactorEnrolled,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt,
    int Version)
{
    /// <summary>The id as the Escalation service names people in tiers and rosters.</summary>
    public string UserId => Id.ToString();
}

/// <summary>The Identity service's page of people (its count is "total").</summary>
public sealed record UserAccountPage(IReadOnlyList<UserAccount> Items, int Page, int PageSize, int Total);

/// <summary>POST /api/users: a person of the administrator's own party (party left out) with their first roles.</summary>
public sealed record NewUserAccount(string UserName, string DisplayName, string? Email, IReadOnlyList<string> Roles, string? OfficialTier, string Password);

public sealed record RoleGrant(string Role, string? OfficialTier);

public sealed record Disabling(string Reason);

/// <summary>A party as the registry holds it (GET /api/parties).</summary>
public sealed record RegistryParty(string Code, string EnglishName, string NativeName, string TimeZone, string WorkingLanguage, int Version);

/// <summary>A channel of the registry with its state (GET /api/channels): the proposing party is first in the code.</summary>
public sealed record RegistryChannel(
    string Code, string FirstParty, string SecondParty, string Name, ChannelStatus Status, string? ProposedBy, DateTimeOffset ChangedAt, int Version)
{
    public bool Includes(string party) => party == FirstParty || party == SecondParty;

    public string CounterpartOf(string party) => party == FirstParty ? SecondParty : FirstParty;
}

public sealed record ChannelProposal(string Counterpart, string Name);

/// <summary>
/// One tier of a policy: a role of a party (its on-duty holder by the roster) or named people, after
/// <see cref="Wait"/> without acknowledgement, counted from the tier before.
/// </summary>
public sealed record PolicyTier(string? Party, string? Role, string? OfficialTier, IReadOnlyList<string>? UserIds, TimeSpan Wait, bool Important);

public sealed record EscalationPolicyView(
    Guid Id, string Channel, string OwnerParty, Severity Severity, IReadOnlyList<PolicyTier> Tiers, int RepeatLastTier,
    TimeSpan? ConfirmationWindow, int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>PUT /api/escalation-policies/{channel}/{severity}: the whole policy, a new version of it.</summary>
public sealed record PolicyChange(IReadOnlyList<PolicyTierChange> Tiers, int RepeatLastTier, TimeSpan? ConfirmationWindow);

public sealed record PolicyTierChange(string? Party, string? Role, string? OfficialTier, IReadOnlyList<string>? UserIds, TimeSpan? Wait, bool Important);

/// <summary>A rotation: members take turns in order, one shift each; times are wall-clock times of the roster's zone.</summary>
public sealed record RosterRotation(
    string Name, IReadOnlyList<string> Members, DateTime FirstHandOff, TimeSpan ShiftLength, DateTime? ValidFrom, DateTime? ValidUntil);

/// <summary>Someone on duty in place of the rotation, from one instant until another.</summary>
public sealed record DutyOverrideView(Guid Id, string UserId, DateTimeOffset From, DateTimeOffset Until, string AddedBy, DateTimeOffset AddedAt);

public sealed record DutyRosterView(
    Guid Id, string Party, string Role, string TimeZone, IReadOnlyList<RosterRotation> Rotations, IReadOnlyList<DutyOverrideView> Overrides,
    int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>PUT /api/duty-rosters/{party}/{role}: the time zone (null: the party's) and every rotation; overrides stay.</summary>
public sealed record RosterChange(string? TimeZone, IReadOnlyList<RotationChange> Rotations);

public sealed record RotationChange(
    string Name, IReadOnlyList<string> Members, DateTime? FirstHandOff, TimeSpan? ShiftLength, DateTime? ValidFrom, DateTime? ValidUntil);

public sealed record OverrideChange(string? UserId, DateTimeOffset? From, DateTimeOffset? Until);

/// <summary>Who is on duty at <see cref="At"/> (nobody when <see cref="UserId"/> is null) and until when (null: no end known).</summary>
public sealed record OnDutyAnswer(
    string Party, string Role, DateTimeOffset At, string? UserId, string? DisplayName, DateTimeOffset? Until, string? Rotation, Guid? OverrideId);
