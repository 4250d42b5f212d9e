using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Web.Apis;

/// <summary>
/// What an administrator manages, through the Identity service (people, channels) and the Escalation
/// service (policies, duty rosters), always on the signed-in administrator's behalf: the services
/// keep each administrator to their own party, the console only shows what they answer.
/// </summary>
public sealed class AdministrationApi(HotlineApi api)
{
    /// <summary>The Identity service's largest page.</summary>
    private const int UserPageSize = 200;

    public async Task<IReadOnlyList<UserAccount>> UsersAsync(CancellationToken cancellationToken)
    {
        var users = new List<UserAccount>();
        for (var page = 1; ; page++)
        {
            var answer = await api.GetAsync<UserAccountPage>(HotlineService.Identity, $"api/users?page={page}&pageSize={UserPageSize}", cancellationToken);
            users.AddRange(answer.Items);
            if (answer.Items.Count < UserPageSize || users.Count >= answer.Total)
            {
                return users;
            }
        }
    }

    public Task CreateUserAsync(NewUserAccount account, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, "api/users", account, null, cancellationToken);

    public Task GrantRoleAsync(Guid userId, RoleGrant grant, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/users/{userId}/roles", grant, null, cancellationToken);

    public Task RevokeRoleAsync(Guid userId, string role, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Delete, HotlineService.Identity, $"api/users/{userId}/roles/{Uri.EscapeDataString(role)}", null, null, cancellationToken);

    public Task DisableAsync(Guid userId, string reason, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/users/{userId}/disable", new Disabling(reason), null, cancellationToken);

    public Task EnableAsync(Guid userId, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/users/{userId}/enable", null, null, cancellationToken);

    public Task<IReadOnlyList<RegistryParty>> PartiesAsync(CancellationToken cancellationToken) =>
        api.GetAsync<IReadOnlyList<RegistryParty>>(HotlineService.Identity, "api/parties", cancellationToken);

    public Task<IReadOnlyList<RegistryChannel>> ChannelsAsync(CancellationToken cancellationToken) =>
        api.GetAsync<IReadOnlyList<RegistryChannel>>(HotlineService.Identity, "api/channels", cancellationToken);

    public Task ProposeChannelAsync(ChannelProposal proposal, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, "api/channels", proposal, null, cancellationToken);

    public Task AcceptChannelAsync(string code, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/channels/{Uri.EscapeDataString(code)}/acceptance", null, null, cancellationToken);

    /// <summary>Suspends an open channel, or withdraws (or declines) a proposal.</summary>
    public Task SuspendChannelAsync(string code, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/channels/{Uri.EscapeDataString(code)}/suspension", null, null, cancellationToken);

    public Task ProposeChannelAgainAsync(string code, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Identity, $"api/channels/{Uri.EscapeDataString(code)}/proposal", null, null, cancellationToken);

    public Task<IReadOnlyList<EscalationPolicyView>> PoliciesAsync(CancellationToken cancellationToken) =>
        api.GetAsync<IReadOnlyList<EscalationPolicyView>>(HotlineService.Escalation, "api/escalation-policies", cancellationToken);

    /// <summary>The party's policy for the channel and severity, or null while it has none.</summary>
    public Task<EscalationPolicyView?> PolicyAsync(string channel, Severity severity, CancellationToken cancellationToken) =>
        OrNullAsync(() => api.GetAsync<EscalationPolicyView>(HotlineService.Escalation, $"api/escalation-policies/{Uri.EscapeDataString(channel)}/{severity}", cancellationToken));

    public Task SavePolicyAsync(string channel, Severity severity, PolicyChange policy, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Escalation, $"api/escalation-policies/{Uri.EscapeDataString(channel)}/{severity}", policy, null, cancellationToken);

    /// <summary>The party's duty roster for the role, or null while it has none.</summary>
    public Task<DutyRosterView?> RosterAsync(string party, string role, CancellationToken cancellationToken) =>
        OrNullAsync(() => api.GetAsync<DutyRosterView>(HotlineService.Escalation, RosterPath(party, role), cancellationToken));

    public Task SaveRosterAsync(string party, string role, RosterChange roster, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Put, HotlineService.Escalation, RosterPath(party, role), roster, null, cancellationToken);

    public Task AddOverrideAsync(string party, string role, OverrideChange change, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, HotlineService.Escalation, RosterPath(party, role) + "/overrides", change, null, cancellationToken);

    public Task RemoveOverrideAsync(string party, string role, Guid overrideId, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Delete, HotlineService.Escalation, $"{RosterPath(party, role)}/overrides/{overrideId}", null, null, cancellationToken);

    public Task<OnDutyAnswer> OnDutyAsync(string party, string role, DateTimeOffset at, CancellationToken cancellationToken) =>
        api.GetAsync<OnDutyAnswer>(HotlineService.Escalation,
            $"{RosterPath(party, role)}/on-duty?at={Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))}",
            cancellationToken);

    private static string RosterPath(string party, string role) => $"api/duty-rosters/{Uri.EscapeDataString(party)}/{Uri.EscapeDataString(role)}";

    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (ApiProblem problem) when (problem.Status == 404)
        {
            return null;
        }
    }
}
