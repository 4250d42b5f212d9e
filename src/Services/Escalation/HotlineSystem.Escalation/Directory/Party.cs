using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Escalation.Data;

namespace HotlineSystem.Escalation.Directory;

/// <summary>Keeps this service's copy of the registry's parties: a party's time zone is the default of its duty rosters (domain.md).</summary>
public sealed class PartyChangedConsumer(EscalationDbContext db, TimeProvider time) : PartyDirectoryConsumer<EscalationDbContext>(db, time);
