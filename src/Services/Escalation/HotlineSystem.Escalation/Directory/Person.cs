using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Escalation.Data;

namespace HotlineSystem.Escalation.Directory;

/// <summary>
/// Keeps the directory of people (whom tiers and rosters may name, who holds a role of a party)
/// from the Identity service's announcements.
/// </summary>
public sealed class UserAccountChangedConsumer(EscalationDbContext db, TimeProvider time) : PeopleDirectoryConsumer<EscalationDbContext>(db, time);
