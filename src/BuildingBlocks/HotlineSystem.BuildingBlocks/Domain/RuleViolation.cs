namespace HotlineSystem.BuildingBlocks.Domain;

public enum RuleViolationKind
{
    /// <summary>The request is well-formed but the record's state does not allow it (409).</summary>
    Conflict,

    /// <summary>The caller may see the record but their party or role may not do this to it (403).</summary>
    Forbidden,
}

/// <summary>
/// An aggregate refusing a change that its rules do not allow, with a stable code; the service
/// defaults turn it into a 409 or 403 problem, so the rule lives only on the aggregate.
/// </summary>
public sealed class RuleViolation(RuleViolationKind kind, string code, string message) : Exception(message)
{
    public RuleViolationKind Kind { get; } = kind;

    public string Code { get; } = code;

    public static RuleViolation Conflict(string code, string message) => new(RuleViolationKind.Conflict, code, message);

    public static RuleViolation Forbidden(string code, string message) => new(RuleViolationKind.Forbidden, code, message);
}
