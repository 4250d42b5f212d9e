namespace HotlineSystem.Contracts.Identity;

// Events of the Identity context. Evolve additively only: never rename or retype a field.

/// <summary>What happened to an account or a session, for the audit trail (docs/security.md).</summary>
public enum SecurityEventKind
{
    SignInSucceeded,
    SignInFailed,
    LockedOut,
    SecondFactorEnrolled,
    SecondFactorFailed,
    SignedOut,
    TokensRevoked,
    UserCreated,
    UserDisabled,
    UserEnabled,
    RoleGranted,
    RoleRevoked,
}

/// <summary>
/// A security event, recorded in the Identity service's database and published for audit: who it
/// concerns, who acted, when and from where. Never carries a password, code or token.
/// </summary>
public sealed record SecurityEventRecorded(
    Guid EventId,
    SecurityEventKind Kind,
    DateTimeOffset OccurredAt,
    string? UserId,
    string? UserName,
    string? Party,
    string? ActorId,
    string? ClientId,
    string? IpAddress,
    string? UserAgent,
    string? Detail);

/// <summary>
/// The state of a user account after a change (created, roles granted or revoked, disabled,
/// enabled), so that other services keep a directory of people without reading Identity's tables.
/// Consumers keep the highest Version per user.
/// </summary>
public sealed record UserAccountChanged(
    string UserId,
    int Version,
    string UserName,
    string DisplayName,
    string Party,
    IReadOnlyList<string> Roles,
    string? OfficialTier,
    bool Active,
    DateTimeOffset OccurredAt);
