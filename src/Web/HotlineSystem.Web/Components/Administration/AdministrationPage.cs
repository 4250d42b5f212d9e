using System.Globalization;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Resources;
using HotlineSystem.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace HotlineSystem.Web.Components.Administration;

/// <summary>
/// What the administrator pages share: only an Administrator gets past the first check (the APIs
/// refuse anyone else anyway), loading with its failures, and changes whose refusals are shown at
/// their fields (<see cref="At"/>) or, when they name none, as one message.
/// </summary>
public abstract class AdministrationPage : ComponentBase
{
    [Inject]
    protected AdministrationApi Admin { get; set; } = default!;

    [Inject]
    protected ConsoleUser User { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<ConsoleTexts> Texts { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    protected ConsolePerson? Person { get; private set; }

    /// <summary>The administrator's party: the only one the pages show.</summary>
    protected string Party => Person?.Party ?? "";

    protected bool NotAdministrator { get; private set; }

    protected bool SessionEnded { get; set; }

    protected bool LoadFailed { get; private set; }

    protected bool Loaded { get; private set; }

    protected bool Busy { get; private set; }

    /// <summary>Someone else changed what this page shows since it was read: reload before changing it.</summary>
    protected bool Stale { get; set; }

    /// <summary>The last refusal; its field errors are shown at their fields.</summary>
    protected ApiProblem? Problem { get; set; }

    /// <summary>A refusal or failure that names no field.</summary>
    protected string? ActionError { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Person = await User.PersonAsync();
        if (!Person.IsIn(PartyRoles.Administrator))
        {
            NotAdministrator = true;
            return;
        }

        await ReloadAsync();
    }

    /// <summary>Reads everything the page shows.</summary>
    protected abstract Task LoadAsync();

    protected async Task ReloadAsync()
    {
        try
        {
            await LoadAsync();
            (LoadFailed, Stale, Loaded) = (false, false, true);
        }
        catch (SessionEndedException)
        {
            SessionEnded = true;
        }
        catch (Exception exception) when (exception is HttpRequestException or ApiProblem)
        {
            LoadFailed = true;
        }
    }

    /// <summary>Sends a change, then reads the page again; false when it was refused (the refusal is shown).</summary>
    protected async Task<bool> ActAsync(Func<Task> change)
    {
        Busy = true;
        (Problem, ActionError, Stale) = (null, null, false);
        try
        {
            await change();
            await ReloadAsync();
            return true;
        }
        catch (ApiProblem problem) when (problem.IsStale || problem.Code == "concurrent-change")
        {
            Stale = true;
        }
        catch (ApiProblem problem)
        {
            Problem = problem;
            ActionError = problem.Errors.Count > 0 ? Texts["AdminRefused"] : string.Format(CultureInfo.CurrentCulture, Texts["ActionFailed"], Texts.Message(problem.Code));
        }
        catch (HttpRequestException)
        {
            ActionError = Texts["AdminUnavailable"];
        }
        catch (SessionEndedException)
        {
            SessionEnded = true;
        }
        finally
        {
            Busy = false;
        }

        return false;
    }

    /// <summary>The message for a field (or anything within it: "tiers[0].userIds" covers "tiers[0].userIds[2]").</summary>
    protected string? At(string field) => Texts.ForPath(Problem, field);

    protected bool Has(string field) => At(field) is not null;

    /// <summary>A table's name for screen readers.</summary>
    protected static Dictionary<string, object> Labelled(string label) => new() { ["aria-label"] = label };

    protected string RoleName(string? role) => Texts.RoleName(role);

    protected string TierName(string? tier) => Texts.TierName(tier);
}
