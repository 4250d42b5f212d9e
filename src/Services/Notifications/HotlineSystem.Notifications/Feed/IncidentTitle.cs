namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// An incident's title as reported, so that later entries (acknowledged, escalated ...) can name it.
/// Events may arrive out of order: an entry written before the report simply has no title yet.
/// </summary>
public sealed class IncidentTitle(Guid incidentId, string title)
{
    public Guid IncidentId { get; private set; } = incidentId;

    public string Title { get; private set; } = title;
}
