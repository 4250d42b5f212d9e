using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Committee;
using HotlineSystem.Escalation;
using HotlineSystem.Identity;
using HotlineSystem.Incidents;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications;
using HotlineSystem.Notifications.Hub;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Issue 3's authorization matrix. Every endpoint of every service is read from the host's own
/// endpoint data source, so a new endpoint cannot escape it: each must carry an explicit decision
/// (a known policy of its service, or anonymous and on the allow-list below) and a row in the
/// expected-access table. Then every protected endpoint is called as anonymous and as each role of
/// KR and of CN, and must answer as the table says. The notification hub's methods, which are not
/// endpoints, have a table of their own, read from the hub class.
/// </summary>
public sealed class AuthorizationMatrixTests(
    IncidentsAppFixture fixture, MatrixEscalationFixture escalation, MatrixCommitteeFixture committee, NotificationsHostFixture notifications,
    ITestOutputHelper output)
    : IClassFixture<IncidentsAppFixture>, IClassFixture<MatrixEscalationFixture>, IClassFixture<MatrixCommitteeFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string IncidentsScope = "openid profile offline_access incidents";
    private const string IdentityScope = "openid profile identity";
    private const string EscalationScope = EscalationApp.Scope;
    private const string AnyMethod = "*";

    private static readonly string[] Parties = ["KR", "CN"];
    private static readonly string[] Everyone = [.. HotlineRoles.All];
    private static readonly string[] LiaisonOfficers = [HotlineRoles.LiaisonOfficer];
    private static readonly string[] Responders = [HotlineRoles.LiaisonOfficer, HotlineRoles.Official];
    private static readonly string[] Administrators = [HotlineRoles.Administrator];
    private static readonly string[] Nobody = [];
    private static readonly string[] OnDutyReaders = [HotlineRoles.Administrator, HotlineRoles.LiaisonOfficer, HotlineRoles.Official];
    private static readonly string[] Delegates = [HotlineRoles.CommitteeMember, HotlineRoles.CoChair];
    private static readonly string[] CommitteeReaders = [HotlineRoles.CommitteeMember, HotlineRoles.CoChair, HotlineRoles.Administrator];
    private static readonly string[] MeasuresReaders = [HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember, HotlineRoles.CoChair, HotlineRoles.Administrator];

    /// <summary>Who may call what, by method and route pattern. A new endpoint must be added here before its service's tests pass.</summary>
    private static readonly Dictionary<string, Dictionary<string, string[]>> ExpectedAccess = new()
    {
        [IncidentsModule.ServiceName] = new()
        {
            ["GET /api/catalogue"] = Everyone,
            ["POST /api/catalogue/hs-codes"] = Administrators,
            ["POST /api/incidents"] = LiaisonOfficers,
            ["GET /api/incidents"] = Responders,
            ["GET /api/incidents/{id:guid}"] = Responders,
            ["POST /api/incidents/{id:guid}/comments"] = LiaisonOfficers,
            ["POST /api/incidents/{id:guid}/acknowledgement"] = Responders,
            ["PUT /api/incidents/{id:guid}/severity"] = LiaisonOfficers,
            ["POST /api/incidents/{id:guid}/status"] = LiaisonOfficers,
            ["POST /api/incidents/{id:guid}/withdrawal"] = LiaisonOfficers,
            ["POST /api/incidents/{id:guid}/reopening"] = LiaisonOfficers,
        },
        [IdentityModule.ServiceName] = new()
        {
            ["GET /api/users"] = Administrators,
            ["GET /api/users/{id:guid}"] = Administrators,
            ["POST /api/users"] = Administrators,
            ["POST /api/users/{id:guid}/roles"] = Administrators,
            ["DELETE /api/users/{id:guid}/roles/{role}"] = Administrators,
            ["POST /api/users/{id:guid}/disable"] = Administrators,
            ["POST /api/users/{id:guid}/enable"] = Administrators,
            ["GET /api/security-events"] = Administrators,
            ["GET /api/parties"] = Everyone,
            ["POST /api/parties"] = Nobody, // the deployment's operator: a tool client's role, never a person's (RegistryTests)
            ["GET /api/channels"] = Everyone,
            ["POST /api/channels"] = Administrators,
            ["POST /api/channels/{code}/acceptance"] = Administrators,
            ["POST /api/channels/{code}/suspension"] = Administrators,
            ["POST /api/channels/{code}/proposal"] = Administrators,
        },
        [EscalationModule.ServiceName] = new()
        {
            ["GET /api/escalation-policies"] = Administrators,
            ["GET /api/escalation-policies/{channel}/{severity}"] = Administrators,
            ["PUT /api/escalation-policies/{channel}/{severity}"] = Administrators,
            ["GET /api/duty-rosters/{party}/{role}"] = Administrators,
            ["PUT /api/duty-rosters/{party}/{role}"] = Administrators,
            ["POST /api/duty-rosters/{party}/{role}/overrides"] = Administrators,
            ["DELETE /api/duty-rosters/{party}/{role}/overrides/{overrideId:guid}"] = Administrators,
            ["GET /api/duty-rosters/{party}/{role}/on-duty"] = OnDutyReaders,
            ["GET /api/escalations/{incidentId:guid}"] = Responders,
            ["POST /api/escalations/{incidentId:guid}/manual"] = LiaisonOfficers,
            ["POST /api/escalations/{incidentId:guid}/confirmation"] = LiaisonOfficers,
            ["GET /api/escalation-measures"] = MeasuresReaders,
        },
        [CommitteeModule.ServiceName] = new()
        {
            ["GET /api/committees"] = CommitteeReaders,
            ["GET /api/committees/{channel}"] = CommitteeReaders,
            ["GET /api/committees/{channel}/candidates"] = Administrators,
            ["PUT /api/committees/{channel}/delegations/{party}"] = Administrators,
            ["GET /api/committees/{channel}/meetings"] = CommitteeReaders,
            ["POST /api/committees/{channel}/meetings"] = Delegates,
            ["GET /api/meetings/{meetingId:guid}"] = CommitteeReaders,
            ["POST /api/meetings/{meetingId:guid}/status"] = Delegates,
            ["PUT /api/meetings/{meetingId:guid}/attendance"] = Delegates,
            ["POST /api/meetings/{meetingId:guid}/agenda-items"] = Delegates,
            ["GET /api/agenda-items/{agendaItemId:guid}"] = CommitteeReaders,
            ["GET /api/agenda-items/{agendaItemId:guid}/history"] = CommitteeReaders,
            ["POST /api/agenda-items/{agendaItemId:guid}/agreement"] = Delegates,
            ["POST /api/agenda-items/{agendaItemId:guid}/withdrawal"] = Delegates,
            ["POST /api/agenda-items/{agendaItemId:guid}/status"] = Delegates,
            ["PUT /api/agenda-items/{agendaItemId:guid}/arrangement"] = Delegates,
            ["POST /api/agenda-items/{agendaItemId:guid}/carry-over"] = Delegates,
            ["PUT /api/agenda-items/{agendaItemId:guid}/positions/mine"] = Delegates,
            ["POST /api/meetings/{meetingId:guid}/action-items"] = Delegates,
            ["GET /api/committees/{channel}/action-items"] = CommitteeReaders,
            ["GET /api/action-items/{actionItemId:guid}"] = CommitteeReaders,
            ["POST /api/action-items/{actionItemId:guid}/status"] = Delegates,
            ["POST /api/action-items/{actionItemId:guid}/notes"] = Delegates,
            ["PUT /api/action-items/{actionItemId:guid}/due-date"] = Delegates,
            ["POST /api/meetings/{meetingId:guid}/minutes"] = Delegates,
            ["GET /api/meetings/{meetingId:guid}/minutes"] = CommitteeReaders,
            ["GET /api/minutes/{minutesId:guid}"] = CommitteeReaders,
            ["PUT /api/minutes/{minutesId:guid}/texts/{language}"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/review"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/comments"] = Delegates,
            ["PUT /api/minutes/{minutesId:guid}/comments/{commentId:guid}"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/agreement"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/signature"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/release"] = Delegates,
            ["POST /api/minutes/{minutesId:guid}/correction"] = Delegates,
            ["GET /api/minutes/{minutesId:guid}/verification"] = CommitteeReaders,
            ["GET /api/minutes/{minutesId:guid}/bundle"] = CommitteeReaders,
            ["GET /api/minutes/{minutesId:guid}/document"] = CommitteeReaders,
            ["GET /api/minutes/{minutesId:guid}/pdf"] = CommitteeReaders,
            ["POST /api/meetings/{meetingId:guid}/decisions"] = Delegates,
            ["GET /api/committees/{channel}/decisions"] = CommitteeReaders,
            ["GET /api/committees/{channel}/incidents"] = CommitteeReaders,
            ["GET /api/decisions/{decisionId:guid}"] = CommitteeReaders,
            ["PUT /api/decisions/{decisionId:guid}/domestic-approval"] = Delegates,
            ["GET /api/parties/{party}/signing-keys"] = CommitteeReaders,
            ["POST /api/parties/{party}/signing-keys"] = Administrators,
        },
        [NotificationsModule.ServiceName] = new()
        {
            ["GET /api/feed"] = Everyone,
            ["GET /api/feed/unread"] = Everyone,
            ["POST /api/feed/read"] = Everyone,
            // The hub's negotiation and its connection (WebSockets, long polling): what a connection may
            // invoke is in HubMethods.
            ["* /hubs/notifications/negotiate"] = Everyone,
            ["* /hubs/notifications"] = Everyone,
        },
    };

    /// <summary>
    /// Who may invoke which method of the notification hub: the policies it demands (the hub's and its
    /// own), the roles they let in, and arguments the hub refuses on their merits, so that a sweep
    /// by an allowed caller changes nothing. A new public hub method must be added here.
    /// </summary>
    private static readonly Dictionary<string, (string[] Policies, string[] Roles, object?[] HarmlessArguments)> HubMethods = new()
    {
        [NotificationHubProtocol.CatchUpMethod] = ([NotificationsModule.Policies.Reader], Everyone, [0L]),
        [NotificationHubProtocol.CheckLineMethod] =
            ([NotificationsModule.Policies.Reader, NotificationsModule.Policies.Administrator], Administrators, ["ZZ-ZZ"]),
    };

    /// <summary>The policies each service may name; each must demand that service's audience.</summary>
    private static readonly Dictionary<string, string[]> KnownPolicies = new()
    {
        [IncidentsModule.ServiceName] = [IncidentsModule.Policies.LiaisonOfficer, IncidentsModule.Policies.Responder, IncidentsModule.Policies.CatalogueReader, IncidentsModule.Policies.CatalogueAdministrator],
        [IdentityModule.ServiceName] = [IdentityModule.Policies.Administrator, IdentityModule.Policies.Operator, IdentityModule.Policies.Reader],
        [EscalationModule.ServiceName] =
        [
            EscalationModule.Policies.Administrator, EscalationModule.Policies.LiaisonOfficer, EscalationModule.Policies.Responder, EscalationModule.Policies.MeasuresReader,
            EscalationModule.Policies.OnDutyReader,
        ],
        [CommitteeModule.ServiceName] = [CommitteeModule.Policies.Member, CommitteeModule.Policies.Reader, CommitteeModule.Policies.Administrator],
        [NotificationsModule.ServiceName] = [NotificationsModule.Policies.Reader, NotificationsModule.Policies.Administrator],
    };

    /// <summary>Every endpoint anyone may call without a token. Anything anonymous that is not listed here fails.</summary>
    private static readonly string[] AnonymousEverywhere =
    [
        "* /health/live", "* /health/ready", "* /health/bus", "GET /openapi/{documentName}.json",
    ];

    private static readonly Dictionary<string, string[]> AnonymousAllowed = new()
    {
        [IncidentsModule.ServiceName] = AnonymousEverywhere,
        [EscalationModule.ServiceName] = AnonymousEverywhere,
        [CommitteeModule.ServiceName] = AnonymousEverywhere,
        [NotificationsModule.ServiceName] = AnonymousEverywhere,
        [IdentityModule.ServiceName] =
        [
            .. AnonymousEverywhere,
            // The OpenID Connect protocol endpoints: OpenIddict validates the request before they run.
            "GET /connect/authorize", "POST /connect/authorize", "POST /connect/token",
            "GET /connect/endsession", "POST /connect/endsession", "GET /connect/userinfo", "POST /connect/userinfo",
            // The sign-in pages: where a person without a session goes.
            "GET /account/sign-in", "POST /account/sign-in", "GET /account/second-factor", "POST /account/second-factor",
            "GET /account/enrolment", "POST /account/enrolment", "GET /account/signed-in", "GET /account/signed-out",
        ],
    };

    public static TheoryData<string> Services =>
        [IncidentsModule.ServiceName, IdentityModule.ServiceName, EscalationModule.ServiceName, CommitteeModule.ServiceName, NotificationsModule.ServiceName];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_endpoint_has_an_explicit_decision_a_known_policy_or_an_allowed_anonymous_route(string serviceName)
    {
        var service = await ServiceAsync(serviceName);
        var failures = new List<string>();

        foreach (var endpoint in service.Endpoints)
        {
            var authorizeData = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                // AllowAnonymous wins over any policy beside it, so the route itself must be one we chose to open.
                failures.AddRange(endpoint.Keys
                    .Where(key => !AnonymousAllowed[serviceName].Contains(key))
                    .Select(key => $"{key} is anonymous but not on the allow-list of anonymous routes"));
            }
            else if (authorizeData.Count == 0)
            {
                failures.Add($"{endpoint.Name} has no authorization of its own: it relies on the fallback policy; give it a policy");
            }
            else
            {
                failures.AddRange(authorizeData
                    .Where(data => string.IsNullOrEmpty(data.Policy) || !KnownPolicies[serviceName].Contains(data.Policy))
                    .Select(data => $"{endpoint.Name} is authorized by '{data.Policy ?? $"roles {data.Roles}"}', which is not a known policy of {serviceName}"));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, service.Endpoints.Select(e => e.Name)));
        Assert.NotEmpty(service.Protected);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_known_policy_demands_its_services_audience_and_a_party(string serviceName)
    {
        var service = await ServiceAsync(serviceName);
        var policies = service.Host.GetRequiredService<IAuthorizationPolicyProvider>();

        foreach (var name in KnownPolicies[serviceName])
        {
            var policy = await policies.GetPolicyAsync(name);

            Assert.True(policy is not null, $"Policy {name} is not registered in {serviceName}");
            Assert.Contains(policy.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
            Assert.Contains(policy.Requirements, r => r is ClaimsAuthorizationRequirement { ClaimType: HotlineClaims.Audience } claim
                && claim.AllowedValues?.SequenceEqual([service.Audience]) == true);
            Assert.Contains(policy.Requirements, r => r is ClaimsAuthorizationRequirement { ClaimType: HotlineClaims.Party });
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_protected_endpoint_is_in_the_expected_access_table_and_every_row_is_an_endpoint(string serviceName)
    {
        var service = await ServiceAsync(serviceName);
        var protectedKeys = service.Protected.SelectMany(e => e.Keys).ToList();

        var missing = protectedKeys.Where(key => !ExpectedAccess[serviceName].ContainsKey(key)).ToList();
        var stale = ExpectedAccess[serviceName].Keys.Where(key => !protectedKeys.Contains(key)).ToList();

        Assert.True(missing.Count == 0, $"Not in the matrix of {serviceName} (add it to the matrix): {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"In the matrix of {serviceName} but no such protected endpoint: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_protected_endpoint_answers_anonymous_and_each_role_of_each_party_as_the_matrix_says(string serviceName)
    {
        var service = await ServiceAsync(serviceName);
        var callers = new List<(string Who, string? Role, string? Token)> { ("anonymous", null, null) };
        foreach (var party in Parties)
        {
            foreach (var role in HotlineRoles.All)
            {
                callers.Add(($"{party} {role}", role, await service.Identity.AccessTokenAsync("matrix", party, [role], service.Scope)));
            }
        }

        var identityStateBefore = await IdentityStateAsync(service.Identity);
        var failures = new List<string>();
        using var client = service.NewClient();

        foreach (var endpoint in service.Protected)
        {
            foreach (var method in endpoint.Methods)
            {
                var key = $"{method} {endpoint.Route}";
                if (!ExpectedAccess[serviceName].TryGetValue(key, out var allowed))
                {
                    failures.Add($"{key}: not in the matrix (add it to the matrix)");
                    continue;
                }

                foreach (var (who, role, token) in callers)
                {
                    var status = await SendAsync(client, method == AnyMethod ? HttpMethods.Get : method, endpoint.Pattern, token);
                    var expected = role is null ? "401" : allowed.Contains(role) ? "neither 401 nor 403 nor 5xx" : "403";
                    var met = role is null ? status == HttpStatusCode.Unauthorized
                        : allowed.Contains(role) ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                        : status == HttpStatusCode.Forbidden;
                    output.WriteLine($"{(met ? "ok  " : "FAIL")} {serviceName} {key} as {who}: {(int)status} (expected {expected})");
                    if (!met)
                    {
                        failures.Add($"{serviceName} {key} as {who}: got {(int)status} {status}, expected {expected}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(identityStateBefore, await IdentityStateAsync(service.Identity));
    }

    [Fact]
    public async Task A_token_for_the_other_API_is_refused_by_each_service()
    {
        var identity = await SharedIdentity.GetAsync();
        using var incidents = fixture.App.CreateClient();
        using var users = new HttpClient { BaseAddress = identity.BaseAddress };
        var administratorForIdentity = await identity.AccessTokenAsync("matrix", "KR", Administrators, IdentityScope);
        var administratorForIncidents = await identity.AccessTokenAsync("matrix", "KR", Administrators, IncidentsScope);
        var officerForIncidents = await identity.AccessTokenAsync("matrix", "KR", LiaisonOfficers, IncidentsScope);
        var officerForIdentity = await identity.AccessTokenAsync("matrix", "KR", LiaisonOfficers, IdentityScope);
        var route = RoutePatternFactory.Parse("/api/users");
        var incidentsRoute = RoutePatternFactory.Parse("/api/incidents");

        // The same people with the right audience get in: what follows is refused for the audience alone.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(users, HttpMethods.Get, route, administratorForIdentity));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(incidents, HttpMethods.Get, incidentsRoute, officerForIncidents));

        var incidentsTokenOnUsers = await SendAsync(users, HttpMethods.Get, route, administratorForIncidents);
        var identityTokenOnIncidents = await SendAsync(incidents, HttpMethods.Get, incidentsRoute, officerForIdentity);

        Assert.True(incidentsTokenOnUsers is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
            $"An incidents-api token on GET /api/users got {(int)incidentsTokenOnUsers}");
        Assert.True(identityTokenOnIncidents is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
            $"An identity-api token on GET /api/incidents got {(int)identityTokenOnIncidents}");
    }

    [Fact]
    public void Every_public_hub_method_is_in_the_hub_table_with_the_policies_it_demands()
    {
        var hub = typeof(NotificationHub);
        var hubPolicies = hub.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Select(a => a.Policy).ToList();
        var methods = hub.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(IsHubMethod).ToList();
        var failures = new List<string>();

        foreach (var method in methods)
        {
            if (!HubMethods.TryGetValue(method.Name, out var expected))
            {
                failures.Add($"{method.Name} is a hub method but not in the hub table (add it with its policies and roles)");
                continue;
            }

            if (method.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
            {
                failures.Add($"{method.Name} allows anonymous callers");
            }

            var policies = hubPolicies.Concat(method.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy)).ToHashSet();
            if (!policies.SetEquals(expected.Policies))
            {
                failures.Add($"{method.Name} demands [{string.Join(", ", policies)}], the table says [{string.Join(", ", expected.Policies)}]");
            }

            failures.AddRange(policies.Where(p => p is null || !KnownPolicies[NotificationsModule.ServiceName].Contains(p))
                .Select(p => $"{method.Name} is authorized by '{p}', which is not a known policy of {NotificationsModule.ServiceName}"));
        }

        failures.AddRange(HubMethods.Keys.Where(name => methods.All(m => m.Name != name)).Select(name => $"{name} is in the hub table but not a hub method"));
        output.WriteLine(string.Join(Environment.NewLine, methods.Select(m => m.Name)));
        Assert.NotEmpty(methods);
        Assert.NotEmpty(hubPolicies);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Every_hub_method_answers_each_role_of_each_party_as_the_hub_table_says()
    {
        var identity = await SharedIdentity.GetAsync();
        var failures = new List<string>();

        foreach (var party in Parties)
        {
            foreach (var role in HotlineRoles.All)
            {
                await using var hub = notifications.App.HubConnection(await identity.AccessTokenAsync("matrix", party, [role], NotificationsApp.Scope));
                await hub.StartAsync();
                foreach (var (method, (_, roles, arguments)) in HubMethods)
                {
                    string answer;
                    try
                    {
                        await hub.InvokeCoreAsync(method, typeof(object), arguments);
                        answer = "answered";
                    }
                    catch (HubException exception)
                    {
                        answer = exception.Message;
                    }

                    // SignalR's own words when a method's policy refuses the caller; anything else is the method's answer.
                    var refused = answer.Contains("unauthorized", StringComparison.Ordinal);
                    var met = refused != roles.Contains(role);
                    output.WriteLine($"{(met ? "ok  " : "FAIL")} {method} as {party} {role}: {answer}");
                    if (!met)
                    {
                        failures.Add($"{method} as {party} {role}: {answer}, expected {(roles.Contains(role) ? "the method's own answer" : "refused as unauthorized")}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>What SignalR makes invocable (HubReflectionHelper): public instance methods not declared by object or Hub.</summary>
    private static bool IsHubMethod(MethodInfo method)
    {
        var declaring = method.GetBaseDefinition().DeclaringType!;
        var baseType = declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring;
        return !method.IsSpecialName && declaring != typeof(object) && baseType != typeof(Hub) && baseType != typeof(Hub<>);
    }

    /// <summary>Calls the route with its values filled (a fresh Guid for an id, a role for a role) and a small JSON body for writes.</summary>
    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, RoutePattern pattern, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern));
        if (method is not ("GET" or "HEAD"))
        {
            // An empty object: invalid for every create, so an allowed call leaves nothing behind.
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Fill(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { Name: "role" } => HotlineRoles.Official,
            RoutePatternParameterPart { Name: "documentName" } => "v1",
            RoutePatternParameterPart => Guid.NewGuid().ToString(),
            _ => throw new InvalidOperationException($"Unexpected route part {part} in {pattern.RawText}"),
        }))));

    /// <summary>What a sweep could have changed in the Identity database: accounts, their versions, security events.</summary>
    private static Task<string> IdentityStateAsync(IdentityApp identity) =>
        identity.InDatabase(async db =>
        {
            var users = await db.Users.OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Version}:{u.Active}").ToListAsync();
            return $"{string.Join(',', users)} events:{await db.SecurityEvents.CountAsync()}";
        });

    private async Task<Service> ServiceAsync(string name)
    {
        var identity = await SharedIdentity.GetAsync();
        return name switch
        {
            IncidentsModule.ServiceName => new Service(name, fixture.App.Services, identity, fixture.App.CreateClient, IncidentsScope, IncidentsModule.Audience),
            IdentityModule.ServiceName => new Service(name, identity.Services, identity, () => new HttpClient { BaseAddress = identity.BaseAddress }, IdentityScope, IdentityModule.Audience),
            EscalationModule.ServiceName => new Service(name, escalation.App.Services, identity, escalation.App.CreateClient, EscalationScope, EscalationModule.Audience),
            CommitteeModule.ServiceName => new Service(name, committee.App.Services, identity, committee.App.CreateClient, CommitteeApp.Scope, CommitteeModule.Audience),
            NotificationsModule.ServiceName => new Service(name, notifications.App.Services, identity, () => new HttpClient { BaseAddress = notifications.App.BaseAddress },
                NotificationsApp.Scope, NotificationsModule.Audience),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a service of this matrix."),
        };
    }

    /// <summary>A service host under test: its endpoints as the host routes them, and the token scope its API needs.</summary>
    private sealed record Service(string Name, IServiceProvider Host, IdentityApp Identity, Func<HttpClient> NewClient, string Scope, string Audience)
    {
        public IReadOnlyList<EndpointView> Endpoints { get; } = Host.GetRequiredService<EndpointDataSource>().Endpoints.Select(EndpointView.Of).ToList();

        public IEnumerable<EndpointView> Protected => Endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null);
    }

    private sealed record EndpointView(string Name, RoutePattern Pattern, string Route, IReadOnlyList<string> Methods, EndpointMetadataCollection Metadata)
    {
        /// <summary>"GET /api/incidents/{id:guid}": one per method the endpoint answers.</summary>
        public IEnumerable<string> Keys => Methods.Select(method => $"{method} {Route}");

        public static EndpointView Of(Endpoint endpoint)
        {
            if (endpoint is not RouteEndpoint route)
            {
                throw new InvalidOperationException($"{endpoint.DisplayName} is not a route endpoint: the matrix cannot call it; teach the test how.");
            }

            var raw = route.RoutePattern.RawText ?? throw new InvalidOperationException($"{endpoint.DisplayName} has no route text.");
            var text = raw.Length > 1 ? "/" + raw.Trim('/') : "/";
            var methods = route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() is { Count: > 0 } list ? list : [AnyMethod];
            return new EndpointView($"{string.Join('|', methods)} {text} ({endpoint.DisplayName})", route.RoutePattern, text, methods, route.Metadata);
        }
    }
}

/// <summary>An Escalation host on a database of its own, for the matrix.</summary>
public sealed class MatrixEscalationFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public EscalationApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("matrixesc");
        App = new EscalationApp(_database.ConnectionString, $"m{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>A Committee host on a database of its own, for the matrix, the barrage and the OpenAPI checks.</summary>
public sealed class MatrixCommitteeFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public CommitteeApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("matrixcom");
        App = new CommitteeApp(_database.ConnectionString, $"c{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }
}
