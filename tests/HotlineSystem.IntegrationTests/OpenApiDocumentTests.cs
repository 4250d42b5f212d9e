using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotlineSystem.Committee;
using HotlineSystem.Escalation;
using HotlineSystem.Identity;
using HotlineSystem.Incidents;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using Xunit.Abstractions;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The OpenAPI document of every service, and of the embedded host that merges them, as a client
/// generator reads it: Redocly's recommended rules find nothing (tests/js/openapi-lint), it says
/// what the server enforces, and a C# client generated from it by NSwag files and reads an incident.
/// </summary>
public sealed class OpenApiDocumentTests(
    IncidentsAppFixture incidents, MatrixEscalationFixture escalation, MatrixCommitteeFixture committee, NotificationsHostFixture notifications,
    ITestOutputHelper output)
    : IClassFixture<IncidentsAppFixture>, IClassFixture<MatrixEscalationFixture>, IClassFixture<MatrixCommitteeFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string DocumentPath = "/openapi/v1.json";

    [Theory]
    [InlineData(IncidentsModule.ServiceName)]
    [InlineData(EscalationModule.ServiceName)]
    [InlineData(CommitteeModule.ServiceName)]
    [InlineData(NotificationsModule.ServiceName)]
    [InlineData(IdentityModule.ServiceName)]
    public async Task Each_services_document_passes_Redocly_recommended_lint_without_an_error_or_warning(string service)
    {
        var lint = await RedoclyLint.RunAsync(await DocumentAsync(service));

        output.WriteLine(lint.Report);
        Assert.True(lint is { Errors: 0, Warnings: 0 }, $"{service}: {lint.Errors} errors, {lint.Warnings} warnings\n{lint.Report}");
    }

    [Fact]
    public async Task The_embedded_hosts_document_passes_Redocly_recommended_lint_without_an_error_or_warning()
    {
        var data = Directory.CreateTempSubdirectory("hotline-openapi-");
        try
        {
            using var host = await AllInOneProcess.StartAsync(data.FullName);
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            var document = await http.GetStringAsync(DocumentPath);

            var lint = await RedoclyLint.RunAsync(document);

            output.WriteLine(lint.Report);
            Assert.True(lint is { Errors: 0, Warnings: 0 }, $"embedded: {lint.Errors} errors, {lint.Warnings} warnings\n{lint.Report}");
            Assert.True(JsonNode.Parse(document)!["paths"]!.AsObject().Count >= 30, "the embedded document merges every service");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_Incidents_document_says_what_the_server_enforces_and_answers()
    {
        var document = JsonNode.Parse(await DocumentAsync(IncidentsModule.ServiceName))!;
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        // The 400 the server sends: errors as a list of {field, code, message}, not ASP.NET's map of strings.
        Assert.Equal("#/components/schemas/FieldError", (string?)schemas["ValidationProblem"]!["properties"]!["errors"]!["items"]!["$ref"]);
        Assert.Null(schemas["HttpValidationProblemDetails"]);

        var filing = schemas["FileIncidentRequest"]!;
        var required = filing["required"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("severity", required); // typed nullable in C# so that a missing one gets a 400, yet required
        Assert.DoesNotContain("language", required);
        Assert.Equal("#/components/schemas/Severity", (string?)filing["properties"]!["severity"]!["$ref"]);
        Assert.Equal(17, filing["properties"]!["minerals"]!["items"]!["enum"]!.AsArray().Count);
        Assert.Equal("^[A-Z]{2}-[A-Z]{2}$", (string?)filing["properties"]!["channel"]!["pattern"]);
        Assert.Equal(["Sev1", "Sev2", "Sev3", "Sev4"], schemas["Severity"]!["enum"]!.AsArray().Select(n => (string)n!));

        var list = document["paths"]!["/api/incidents"]!["get"]!;
        var pageSize = list["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "pageSize")!;
        Assert.Equal(ListIncidentsQuery.MaxPageSize, (int)pageSize["schema"]!["maximum"]!);
        Assert.Equal(1, (int)pageSize["schema"]!["minimum"]!);

        var changeSeverity = document["paths"]!["/api/incidents/{id}/severity"]!["put"]!;
        Assert.Contains(changeSeverity["parameters"]!.AsArray(), p => (string?)p!["name"] == "If-Match" && (bool)p["required"]!);
        foreach (var status in new[] { "400", "401", "403", "404", "409", "412", "428", "413", "415", "503" })
        {
            Assert.NotNull(changeSeverity["responses"]![status]!["content"]!["application/problem+json"]);
        }

        Assert.NotNull(changeSeverity["security"]);
        Assert.Null(document["paths"]!["/health/live"]); // not described; /openapi itself neither
    }

    [Fact]
    public async Task A_client_generated_by_NSwag_from_the_Incidents_document_files_and_reads_an_incident()
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(await DocumentAsync(IncidentsModule.ServiceName));
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "IncidentsClient",
            UseBaseUrl = false, // the HttpClient's BaseAddress
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = "Generated.Incidents",
            },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        var assembly = Compile(code);

        using var http = incidents.App.KrOfficerClient();
        var client = Activator.CreateInstance(assembly.GetType("Generated.Incidents.IncidentsClient", throwOnError: true)!, http)!;
        // The generated models as a client would fill them (Newtonsoft.Json, NSwag's default: it writes
        // "export-licence-delay" for the enum member ExportLicenceDelay).
        var request = Newtonsoft.Json.JsonConvert.DeserializeObject(
            JsonSerializer.Serialize(Requests.Incident(title: "Generated client: Dy licences held"), Requests.Json),
            assembly.GetType("Generated.Incidents.FileIncidentRequest", throwOnError: true)!)!;

        var filed = await InvokeAsync(client, "FileIncidentAsync", request);
        var id = (Guid)filed.GetType().GetProperty("Id")!.GetValue(filed)!;
        var read = await InvokeAsync(client, "GetIncidentAsync", id);

        Assert.Equal("Generated client: Dy licences held", read.GetType().GetProperty("Title")!.GetValue(read));
        Assert.Equal("Sev2", read.GetType().GetProperty("Severity")!.GetValue(read)!.ToString());
        Assert.Equal("KR", read.GetType().GetProperty("ReportingParty")!.GetValue(read));
    }

    private async Task<string> DocumentAsync(string service)
    {
        using var http = service switch
        {
            IncidentsModule.ServiceName => incidents.App.CreateClient(),
            EscalationModule.ServiceName => escalation.App.CreateClient(),
            CommitteeModule.ServiceName => committee.App.CreateClient(),
            NotificationsModule.ServiceName => new HttpClient { BaseAddress = notifications.App.BaseAddress },
            IdentityModule.ServiceName => new HttpClient { BaseAddress = (await SharedIdentity.GetAsync()).BaseAddress },
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
        return await http.GetStringAsync(DocumentPath);
    }

    /// <summary>The generated code compiled in memory with Roslyn against the running framework's assemblies.</summary>
    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            $"GeneratedIncidentsClient{Guid.NewGuid():N}",
            [CSharpSyntaxTree.ParseText(code)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(result.Success, "The generated client does not compile:\n" + string.Join('\n', errors.Take(20)));
        image.Position = 0;
        return new AssemblyLoadContext(name: null, isCollectible: true).LoadFromStream(image);
    }

    private static async Task<object> InvokeAsync(object client, string operation, params object[] arguments)
    {
        var method = client.GetType().GetMethods()
            .Single(m => m.Name == operation && m.GetParameters().Length == arguments.Length); // without the CancellationToken
        var task = (Task)method.Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary>Redocly CLI's recommended rules, run under Node from tests/js/openapi-lint (npm ci by deploy/infra.sh test-tools).</summary>
    private sealed record RedoclyLint(int Errors, int Warnings, string Report)
    {
        public static async Task<RedoclyLint> RunAsync(string document)
        {
            var project = Path.Combine(TestInfrastructure.RepositoryRoot, "tests", "js", "openapi-lint");
            var cli = Path.Combine(project, "node_modules", "@redocly", "cli", "bin", "cli.js");
            Assert.True(File.Exists(cli), $"{cli} is missing: deploy/infra.sh test-tools runs npm ci in {project}");

            var file = Path.Combine(Path.GetTempPath(), $"hotline-openapi-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, document);
            try
            {
                var start = new ProcessStartInfo("node", [cli, "lint", "--extends", "recommended", "--format", "json", file])
                {
                    WorkingDirectory = project,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
                };
                using var process = Process.Start(start)!;
                var standardOutput = process.StandardOutput.ReadToEndAsync();
                var standardError = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                await process.WaitForExitAsync(timeout.Token);

                var json = await standardOutput;
                Assert.True(json.TrimStart().StartsWith('{'), $"redocly printed no report (exit {process.ExitCode}):\n{json}\n{await standardError}");
                var report = JsonNode.Parse(json)!;
                var problems = report["problems"]!.AsArray().Select(p =>
                    $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}");
                return new RedoclyLint((int)report["totals"]!["errors"]!, (int)report["totals"]!["warnings"]!, string.Join('\n', problems));
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
