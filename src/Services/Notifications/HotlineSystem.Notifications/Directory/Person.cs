using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Notifications.Data;

namespace HotlineSystem.Notifications.Directory;

/// <summary>
/// Keeps the directory of people from the Identity service's announcements: who holds which role of
/// which party, so that "the liaison officers of the channel's parties" can be told.
/// </summary>
public sealed class UserAccountChangedFeedConsumer(NotificationsDbContext db, TimeProvider time)
    : PeopleDirectoryConsumer<NotificationsDbContext>(db, time);
