using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace HotlineSystem.Identity.Audit;

/// <summary>
/// One line of the audit trail: what happened to whose account, who acted, when and from where.
/// Written in the same transaction as the change it records, and published through the outbox.
/// </summary>
public sealed class SecurityEvent : AggregateRoot
{
    private SecurityEvent()
    {
    }

    public Guid Id { get; private set; }

    public SecurityEventKind Kind { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public Guid? UserId { get; private set; }

    /// <summary>The account name given, also when no such account exists (a failed sign-in).</summary>
    public string? UserName { get; private set; }

    /// <summary>The party of the account concerned: its administrators read the event.</summary>
    public string? Party { get; private set; }

    public string? ActorId { get; private set; }

    public string? ClientId { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Detail { get; private set; }

    public static SecurityEvent Record(
        SecurityEventKind kind, DateTimeOffset now, HotlineUser? user, string? userName, string? actorId, string? clientId, string? ipAddress, string? userAgent, string? detail)
    {
        var entry = new SecurityEvent
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            OccurredAt = now,
            UserId = user?.Id,
            UserName = Truncate(user?.UserName ?? userName, 256),
            Party = user?.Party,
            ActorId = Truncate(actorId, 100),
            ClientId = Truncate(clientId, 100),
            IpAddress = Truncate(ipAddress, 64),
            UserAgent = Truncate(userAgent, 300),
            Detail = Truncate(detail, 500),
        };
        entry.Raise(new SecurityEventRecorded(
            entry.Id, kind, now, entry.UserId?.ToString(), entry.UserName, entry.Party, entry.ActorId, entry.ClientId, entry.IpAddress, entry.UserAgent, entry.Detail));
        return entry;
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

/// <summary>Adds security events to the Identity database with the request's origin; the caller's save commits them with its change.</summary>
public sealed class SecurityEventLog(IdentityServiceDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    public SecurityEvent Add(SecurityEventKind kind, HotlineUser? user, string? detail = null, string? userName = null, string? clientId = null)
    {
        var context = http.HttpContext;
        var actor = context?.User.FindFirst(HotlineClaims.Subject)?.Value;
        var entry = SecurityEvent.Record(
            kind,
            time.GetUtcNow(),
            user,
            userName,
            actor ?? user?.Id.ToString(),
            clientId ?? context?.User.FindFirst("client_id")?.Value,
            context?.Connection.RemoteIpAddress?.ToString(),
            context?.Request.Headers.UserAgent.ToString(),
            detail);
        db.SecurityEvents.Add(entry);
        return entry;
    }
}
