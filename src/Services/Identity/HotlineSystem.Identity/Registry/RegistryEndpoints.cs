using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Users;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Identity.Registry;

/// <summary>
/// The registry of parties and channels (docs/adr/0009). The operator registers parties; people see
/// their own party and the parties and channels it has a channel with, nothing else (another
/// party's channel is a 404); administrators propose, accept and suspend their party's channels.
/// </summary>
internal static class RegistryEndpoints
{
    public static async Task<Ok<List<PartyView>>> ListParties(HttpContext http, IdentityServiceDbContext db)
    {
        var query = db.Parties.AsNoTracking();
        if (!http.User.IsInRole(HotlineRoles.Operator))
        {
            var party = CurrentUser.From(http.User).Party;
            var partners = db.Channels.Where(c => c.FirstParty == party || c.SecondParty == party).Select(c => c.FirstParty == party ? c.SecondParty : c.FirstParty);
            query = query.Where(p => p.Code == party || partners.Contains(p.Code));
        }

        var parties = await query.OrderBy(p => p.Code).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(parties.Select(PartyView.Of).ToList());
    }

    public static async Task<Results<Created<RegisteredParty>, ProblemHttpResult>> RegisterParty(
        RegisterPartyRequest request, HttpContext http, IdentityServiceDbContext db, UserManager<HotlineUser> users, SecurityEventLog log, TimeProvider time)
    {
        if (await db.Parties.AnyAsync(p => p.Code == request.Code, http.RequestAborted))
        {
            return Problems.Conflict("party-exists", $"{request.Code} is already a party of this hotline.");
        }

        if (await users.FindByNameAsync(request.Administrator.UserName) is not null)
        {
            return Problems.Conflict("user-name-taken", $"The user name '{request.Administrator.UserName}' is taken.");
        }

        var now = time.GetUtcNow();
        var party = Party.Register(request.Code, request.EnglishName.Trim(), request.NativeName.Trim(), request.TimeZone, request.WorkingLanguage, now);
        var administrator = HotlineUser.Register(request.Administrator.UserName, request.Administrator.DisplayName.Trim(), request.Administrator.Email,
            party.Code, [HotlineRoles.Administrator], null, now);
        var weak = new List<FieldError>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, administrator, request.Administrator.Password);
            weak.AddRange(check.Errors.Select(error => new FieldError("administrator.password", "weak-password", error.Description)));
        }

        if (weak.Count > 0)
        {
            return Problems.Validation(weak);
        }

        // The party, its administrator, the security event and both announcements: one save, one transaction.
        db.Parties.Add(party);
        log.Add(SecurityEventKind.UserCreated, administrator, $"first administrator of {party.Code}");
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(administrator, request.Administrator.Password);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Problems.Conflict("party-exists", $"{request.Code} or the user name '{request.Administrator.UserName}' was registered at the same moment.");
        }

        if (!created.Succeeded)
        {
            return Problems.Validation(created.Errors.Select(e => new FieldError("administrator.userName", "invalid-user-name", e.Description)));
        }

        return TypedResults.Created($"/api/parties/{party.Code}", new RegisteredParty(PartyView.Of(party), UserView.Of(administrator)));
    }

    public static async Task<Ok<List<ChannelView>>> ListChannels(HttpContext http, IdentityServiceDbContext db)
    {
        var query = db.Channels.AsNoTracking();
        if (!http.User.IsInRole(HotlineRoles.Operator))
        {
            var party = CurrentUser.From(http.User).Party;
            query = query.Where(c => c.FirstParty == party || c.SecondParty == party);
        }

        var channels = await query.OrderBy(c => c.Code).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(channels.Select(ChannelView.Of).ToList());
    }

    public static async Task<Results<Created<ChannelView>, ProblemHttpResult>> ProposeChannel(
        ProposeChannelRequest request, HttpContext http, IdentityServiceDbContext db, TimeProvider time)
    {
        var administrator = CurrentUser.From(http.User);
        if (request.Counterpart == administrator.Party)
        {
            return Problems.Validation("counterpart", "own-party", "A channel joins your party with another party.");
        }

        if (!await db.Parties.AnyAsync(p => p.Code == request.Counterpart, http.RequestAborted))
        {
            return Problems.Validation("counterpart", "unknown-party", $"'{request.Counterpart}' is not a party of this hotline.");
        }

        var (a, b) = (administrator.Party, request.Counterpart);
        if (await db.Channels.AnyAsync(c => (c.FirstParty == a && c.SecondParty == b) || (c.FirstParty == b && c.SecondParty == a), http.RequestAborted))
        {
            return Problems.Conflict("channel-exists", $"{a} and {b} already have a channel: accept its proposal, or propose it again if it is suspended.");
        }

        var channel = Channel.Propose(administrator.Party, request.Counterpart, request.Name.Trim(), administrator.UserId, time.GetUtcNow());
        db.Channels.Add(channel);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("channel-exists", $"{a} and {b} proposed a channel at the same moment: accept the other's proposal.");
        }

        return TypedResults.Created($"/api/channels/{channel.Code}", ChannelView.Of(channel));
    }

    public static Task<Results<Ok<ChannelView>, ProblemHttpResult>> AcceptChannel(string code, HttpContext http, IdentityServiceDbContext db, TimeProvider time) =>
        ChangeAsync(code, http, db, (channel, administrator) => channel.Accept(administrator.Party, administrator.UserId, time.GetUtcNow()));

    public static Task<Results<Ok<ChannelView>, ProblemHttpResult>> SuspendChannel(string code, HttpContext http, IdentityServiceDbContext db, TimeProvider time) =>
        ChangeAsync(code, http, db, (channel, administrator) => channel.Suspend(administrator.UserId, time.GetUtcNow()));

    public static Task<Results<Ok<ChannelView>, ProblemHttpResult>> ProposeChannelAgain(string code, HttpContext http, IdentityServiceDbContext db, TimeProvider time) =>
        ChangeAsync(code, http, db, (channel, administrator) => channel.ProposeAgain(administrator.Party, administrator.UserId, time.GetUtcNow()));

    /// <summary>A change to a channel of the administrator's own party; any other channel does not exist for them.</summary>
    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> ChangeAsync(
        string code, HttpContext http, IdentityServiceDbContext db, Action<Channel, CurrentUser> change)
    {
        var (_, notYours) = OwnParty.Channel(http.User, code);
        if (notYours is not null)
        {
            return notYours;
        }

        if (await db.Channels.SingleOrDefaultAsync(c => c.Code == code, http.RequestAborted) is not { } channel)
        {
            return Problems.NotFound("channel of your party");
        }

        change(channel, CurrentUser.From(http.User));
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("concurrent-change", $"Channel {code} changed at the same moment. Read it again.");
        }

        return TypedResults.Ok(ChannelView.Of(channel));
    }
}
