using System.Globalization;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Live;
using HotlineSystem.Web.Resources;
using HotlineSystem.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace HotlineSystem.Web.Components.Committee;

/// <summary>
/// What every page of the joint committee does alike: reads its records on the person's behalf,
/// reads them again when a committee entry of its channel reaches the person's feed, and turns a
/// refusal into a message in the reader's words (<see cref="PageStatus"/> shows them).
/// </summary>
public abstract class CommitteePage : ComponentBase, IDisposable
{
    [Inject]
    protected HotlineApi Api { get; set; } = null!;

    [Inject]
    protected IStringLocalizer<ConsoleTexts> Texts { get; set; } = null!;

    [Inject]
    private ConsoleUser User { get; set; } = null!;

    [Inject]
    private ConsoleLine Line { get; set; } = null!;

    protected ConsolePerson? Person { get; private set; }

    /// <summary>The committee of the page's channel, read once.</summary>
    protected CommitteeDetails? Committee { get; private set; }

    /// <summary>Times in the reader's party's zone.</summary>
    protected ReaderTime Clock { get; private set; } = ReaderTime.For(null);

    protected bool NotFound { get; private set; }

    protected bool LoadFailed { get; private set; }

    protected bool SessionEnded { get; private set; }

    /// <summary>Someone changed the record since it was read: the person reloads before acting.</summary>
    protected bool Stale { get; private set; }

    protected bool Busy { get; private set; }

    protected string? ActionError { get; private set; }

    /// <summary>The last refusal of a form (400), whose fields <see cref="FieldError"/> names.</summary>
    protected ApiProblem? FormProblem { get; private set; }

    /// <summary>What <see cref="PageStatus"/> shows.</summary>
    protected PageStatus.PageState State => new(NotFound, SessionEnded, LoadFailed, Stale, ActionError);

    protected bool IsCoChair => Person is not null && Committee?.IsCoChair(Person.UserId) == true;

    protected bool IsDelegate => Person is not null && Committee?.DelegateOf(Person.UserId) is not null;

    /// <summary>The channel whose feed entries make the page read its records again; null before they are read.</summary>
    protected abstract string? Channel { get; }

    /// <summary>Reads the page's records (an <see cref="ApiProblem"/> 404 shows "not found").</summary>
    protected abstract Task LoadAsync();

    protected override async Task OnInitializedAsync()
    {
        Line.EntryReceived += OnEntryAsync;
        try
        {
            Person = await User.PersonAsync();
            await Line.ListenAsync();
        }
        catch (SessionEndedException)
        {
            SessionEnded = true;
            return;
        }

        await ReloadAsync();
    }

    /// <summary>Reads again whenever the page's address names another record.</summary>
    protected override async Task OnParametersSetAsync()
    {
        if (Person is not null && !firstParameters)
        {
            await ReloadAsync();
        }

        firstParameters = false;
    }

    private bool firstParameters = true;

    protected async Task ReloadAsync()
    {
        try
        {
            await LoadAsync();
            (NotFound, LoadFailed, Stale, ActionError) = (false, false, false, null);
        }
        catch (ApiProblem problem) when (problem.Status == 404)
        {
            NotFound = true;
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

    /// <summary>The committee of <paramref name="channel"/>, and the reader's clock from their party's zone.</summary>
    protected async Task<CommitteeDetails> CommitteeOfAsync(string channel)
    {
        if (Committee is null || Committee.Channel != channel)
        {
            Committee = await Api.CommitteeAsync(channel, CancellationToken.None);
            Clock = ReaderTime.For(Committee.Delegations.FirstOrDefault(d => d.Party == Person?.Party)?.TimeZone);
        }

        return Committee;
    }

    /// <summary>
    /// Does <paramref name="action"/> and reads the records again. A refusal becomes the page's message,
    /// or, for a <paramref name="form"/>'s fields, messages at those fields (<see cref="FieldError"/>).
    /// </summary>
    protected async Task<bool> ActAsync(Func<Task> action, string? form = null)
    {
        (Busy, ActionError, FormProblem, problemForm) = (true, null, null, null);
        try
        {
            await action();
            await ReloadAsync();
            return true;
        }
        catch (ApiProblem problem) when (problem.IsStale)
        {
            Stale = true;
        }
        catch (ApiProblem problem) when (form is not null && problem.Status == 400 && problem.Errors.Count > 0)
        {
            (FormProblem, problemForm) = (problem, form);
        }
        catch (ApiProblem problem)
        {
            // A refused field of no form on the page says what was wrong with it here, unless the page
            // answers this refusal where it happened (and saying it twice would only be noise).
            ActionError = AnsweredInPlace(problem)
                ? null
                : string.Format(CultureInfo.CurrentCulture, Texts["ActionFailed"], Texts.Message(problem.Errors.FirstOrDefault()?.Code ?? problem.Code));
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

    /// <summary>A message of the page's own (the key of a text), shown where a refusal would be.</summary>
    protected void ActionErrorFor(string text) => ActionError = Texts[text];

    /// <summary>
    /// A page that answers a particular refusal in its own way, where it happened (signing asks for a
    /// fresh second factor beside the sign button), says so: true, and the page shows no refusal of its own.
    /// </summary>
    protected virtual bool AnsweredInPlace(ApiProblem problem) => false;

    /// <summary>The message for <paramref name="field"/> of <paramref name="form"/>, when its last sending was refused for it.</summary>
    protected string? FieldError(string form, string field) => problemForm == form ? Texts.ForField(FormProblem, field) : null;

    private string? problemForm;

    protected string StatusName(MeetingStatus status) => Texts["MeetingStatus_" + status];

    protected string StatusName(AgendaItemStatus status) => Texts["ItemStatus_" + status];

    protected string StatusName(MinutesStatus status) => Texts["MinutesStatus_" + status];

    protected string PartyName(string party) =>
        Committee?.Delegations.FirstOrDefault(d => d.Party == party) is { } delegation ? $"{delegation.NativeName} ({party})" : party;

    /// <summary>A language tag in the reader's words ("ko" → 한국어 for a Korean reader).</summary>
    protected static string LanguageName(string language)
    {
        try
        {
            return CultureInfo.GetCultureInfo(language).DisplayName;
        }
        catch (CultureNotFoundException)
        {
            return language;
        }
    }

    private Task OnEntryAsync(FeedEntry entry) => Channel is not null && entry.Channel == Channel && entry.IncidentId is null
        ? InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        })
        : Task.CompletedTask;

    public void Dispose()
    {
        Line.EntryReceived -= OnEntryAsync;
        GC.SuppressFinalize(this);
    }
}
