using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Server;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace HotlineSystem.Identity.Users;

/// <summary>
/// Administrators manage the people of their own party: create, disable, enable, grant and revoke
/// roles. Another party's users do not exist for them (404). Each change and its security event
/// are saved together, and UserAccountChanged goes out through the outbox.
/// </summary>
internal static class UserEndpoints
{
    public const int MaxPageSize = 200;

    public static async Task<Results<Ok<UserPage>, ProblemHttpResult>> List(HttpContext http, IdentityServiceDbContext db, int? page, int? pageSize)
    {
        if (PagingProblem(page, pageSize) is { } problem)
        {
            return problem;
        }

        var party = CurrentUser.From(http.User).Party;
        var (number, size) = (page ?? 1, pageSize ?? 50);
        var query = db.Users.Where(u => u.Party == party);
        var users = await query.OrderBy(u => u.UserName).Skip((number - 1) * size).Take(size).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new UserPage(users.Select(UserView.Of).ToList(), number, size, await query.CountAsync(http.RequestAborted)));
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> Get(Guid id, HttpContext http, IdentityServiceDbContext db) =>
        await FindInOwnPartyAsync(db, id, http) is { } user ? TypedResults.Ok(UserView.Of(user)) : Problems.NotFound("user");

    public static async Task<Results<Created<UserView>, ProblemHttpResult>> Create(
        CreateUserRequest request, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, SecurityEventLog log, TimeProvider time)
    {
        var administrator = CurrentUser.From(http.User);
        var party = request.Party ?? administrator.Party;
        if (!await db.Parties.AnyAsync(p => p.Code == party, http.RequestAborted))
        {
            return Problems.Validation("party", "unknown-party", $"'{party}' is not a party of this hotline.");
        }

        if (!http.User.IsOwn(party))
        {
            return Problems.Forbidden("other-party", "Administrators manage the users of their own party only.");
        }

        if (await users.FindByNameAsync(request.UserName) is not null)
        {
            return Problems.Conflict("user-name-taken", $"The user name '{request.UserName}' is taken.");
        }

        var user = HotlineUser.Register(request.UserName, request.DisplayName.Trim(), request.Email, party, request.Roles!, request.OfficialTier, time.GetUtcNow());
        var weak = new List<FieldError>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, request.Password);
            weak.AddRange(check.Errors.Select(error => new FieldError("password", "weak-password", error.Description)));
        }

        if (weak.Count > 0)
        {
            return Problems.Validation(weak);
        }

        log.Add(SecurityEventKind.UserCreated, user, "roles: " + string.Join(", ", user.Roles));
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, request.Password); // the account, its event and UserAccountChanged in one save
        }
        catch (DbUpdateException)
        {
            // Another request took the same user name at the same moment (the unique index on the normalized name).
            db.ChangeTracker.Clear();
            if (await users.FindByNameAsync(request.UserName) is null)
            {
                throw;
            }

            return Problems.Conflict("user-name-taken", $"The user name '{request.UserName}' is taken.");
        }

        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? Problems.Conflict("user-name-taken", $"The user name '{request.UserName}' is taken.")
                : Problems.Validation(created.Errors.Select(e => new FieldError("userName", "invalid-user-name", e.Description)));
        }

        return TypedResults.Created($"/api/users/{user.Id}", UserView.Of(user));
    }

    public static Task<Results<Ok<UserView>, ProblemHttpResult>> GrantRole(
        Guid id, GrantRoleRequest request, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, SecurityEventLog log, TimeProvider time) =>
        ChangeAsync(id, http, users, db, (user, administrator) =>
        {
            user.GrantRole(request.Role, request.OfficialTier, time.GetUtcNow());
            log.Add(SecurityEventKind.RoleGranted, user, request.OfficialTier is null ? request.Role : $"{request.Role} ({request.OfficialTier})");
        });

    public static Task<Results<Ok<UserView>, ProblemHttpResult>> RevokeRole(
        Guid id, string role, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, SecurityEventLog log, TimeProvider time) =>
        ChangeAsync(id, http, users, db, (user, administrator) =>
        {
            if (user.Id.ToString() == administrator.UserId && role == HotlineRoles.Administrator)
            {
                throw BuildingBlocks.Domain.RuleViolation.Conflict("own-administrator-role", "Administrators cannot revoke their own Administrator role; another administrator can.");
            }

            user.RevokeRole(role, time.GetUtcNow());
            log.Add(SecurityEventKind.RoleRevoked, user, role);
        });

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> Disable(
        Guid id, DisableUserRequest request, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, SecurityEventLog log,
        TimeProvider time, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
    {
        var result = await ChangeAsync(id, http, users, db, (user, administrator) =>
        {
            if (user.Id.ToString() == administrator.UserId)
            {
                throw BuildingBlocks.Domain.RuleViolation.Conflict("own-account", "Administrators cannot disable their own account.");
            }

            user.Disable(time.GetUtcNow());
            log.Add(SecurityEventKind.UserDisabled, user, request.Reason);
        });

        if (result.Result is Ok<UserView> && await db.Users.FindAsync([id], http.RequestAborted) is { } disabled)
        {
            // A disabled person's sessions end now: refresh tokens are revoked, the server's cookie is stamped out.
            var revoked = await ConnectEndpoints.RevokeEverythingAsync(disabled, tokens, authorizations);
            log.Add(SecurityEventKind.TokensRevoked, disabled, $"{revoked} tokens revoked: account disabled");
            await users.UpdateSecurityStampAsync(disabled);
        }

        return result;
    }

    public static Task<Results<Ok<UserView>, ProblemHttpResult>> Enable(
        Guid id, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, SecurityEventLog log, TimeProvider time) =>
        ChangeAsync(id, http, users, db, (user, administrator) =>
        {
            user.Enable(time.GetUtcNow());
            log.Add(SecurityEventKind.UserEnabled, user);
        });

    public static async Task<Results<Ok<SecurityEventPage>, ProblemHttpResult>> SecurityEvents(
        HttpContext http, IdentityServiceDbContext db, int? page, int? pageSize, Guid? userId)
    {
        if (PagingProblem(page, pageSize) is { } problem)
        {
            return problem;
        }

        var party = CurrentUser.From(http.User).Party;
        var (number, size) = (page ?? 1, pageSize ?? 50);
        var query = db.SecurityEvents.Where(e => e.Party == party);
        if (userId is not null)
        {
            query = query.Where(e => e.UserId == userId);
        }

        var events = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip((number - 1) * size).Take(size).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new SecurityEventPage(
            events.Select(e => new SecurityEventView(e.Id, e.Kind, e.OccurredAt, e.UserId, e.UserName, e.ActorId, e.ClientId, e.IpAddress, e.UserAgent, e.Detail)).ToList(),
            number, size, await query.CountAsync(http.RequestAborted)));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> ChangeAsync(
        Guid id, HttpContext http, UserManager<HotlineUser> users, IdentityServiceDbContext db, Action<HotlineUser, CurrentUser> change)
    {
        if (await FindInOwnPartyAsync(db, id, http) is not { } user)
        {
            return Problems.NotFound("user");
        }

        change(user, CurrentUser.From(http.User));
        var updated = await users.UpdateAsync(user); // the change, its security event and UserAccountChanged in one save
        if (!updated.Succeeded)
        {
            return Problems.Conflict("concurrent-change", "Someone else changed this account at the same moment. Reload it and try again.");
        }

        return TypedResults.Ok(UserView.Of(user));
    }

    private static Task<HotlineUser?> FindInOwnPartyAsync(IdentityServiceDbContext db, Guid id, HttpContext http)
    {
        var party = CurrentUser.From(http.User).Party;
        return db.Users.SingleOrDefaultAsync(u => u.Id == id && u.Party == party, http.RequestAborted);
    }

    private static ProblemHttpResult? PagingProblem(int? page, int? pageSize)
    {
        var errors = new List<FieldError>();
        if (page is < 1 or > 100_000)
        {
            errors.Add(new FieldError("page", "out-of-range", "'page' is between 1 and 100000."));
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("pageSize", "out-of-range", $"'pageSize' is between 1 and {MaxPageSize}."));
        }

        return errors.Count > 0 ? Problems.Validation(errors) : null;
    }
}

public sealed record SecurityEventView(
    Guid Id, SecurityEventKind Kind, DateTimeOffset OccurredAt, Guid? UserId, string? UserName, string? ActorId, string? ClientId, string? IpAddress, string? UserAgent, string? Detail);

public sealed record SecurityEventPage(IReadOnlyList<SecurityEventView> Items, int Page, int PageSize, int Total);
