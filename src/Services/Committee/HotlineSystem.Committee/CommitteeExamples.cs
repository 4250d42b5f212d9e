using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee;

/// <summary>Example requests for the OpenAPI document.</summary>
internal static class CommitteeExamples
{
    public static readonly DelegationRequest Delegation = new(
    [
        new DelegateEntry(UserId: "0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4b01", Role: DelegateRole.CoChair),
        new DelegateEntry(UserId: "0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4b02", Role: DelegateRole.Member),
        new DelegateEntry(UserId: "0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4b03", Role: DelegateRole.Alternate),
    ]);

    public static readonly ScheduleMeetingRequest Meeting = new(
        RequestId: Guid.Parse("0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4c01"),
        StartsAt: new DateTimeOffset(2027, 3, 18, 1, 0, 0, TimeSpan.Zero),
        AgendaCutoff: new DateTimeOffset(2027, 3, 11, 9, 0, 0, TimeSpan.Zero),
        Place: "Seoul",
        Mode: MeetingMode.InPerson);

    public static readonly ProposeAgendaItemRequest AgendaItem = new(
        RequestId: Guid.Parse("0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4d01"),
        Title: "디스프로슘 수출 허가 지연",
        Description: "2027년 1분기 디스프로슘·테르븀 수출 허가 처리 지연과 재고 현황.",
        Language: "ko",
        Incidents: [Guid.Parse("0193f1d2-7a4e-7c10-9d2b-1f6e2a9c4e01")]);

    public static readonly PositionRequest Position = new(
        Text: "Ask for a dedicated fast track for licences of battery makers; accept a joint monitoring group.",
        Visibility: Visibility.Internal);
}
