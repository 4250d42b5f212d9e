using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Domain;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Data;

/// <summary>
/// A few incidents on the KR–CN channel for the embedded demo; written once, on an empty database.
/// The Sev1 was filed a minute before the start, so a newcomer sees its escalation running, with
/// its first deadline still ahead.
/// </summary>
public sealed class DemoIncidents(TimeProvider time) : IDataSeeder<IncidentsDbContext>
{
    public async Task SeedAsync(IncidentsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Incidents.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var kr = new Actor("demo-kr-officer", "KR", ChangeSource.Automation);
        var cn = new Actor("demo-cn-officer", "CN", ChangeSource.Automation);
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var magnets = Incident.File(Guid.CreateVersion7(now), "KR-CN", "CN", new IncidentFacts(
            "customs-hold", Severity.Sev2, "NdFeB 영구자석 선적분 통관 보류 (톈진항)",
            "톈진항에서 네오디뮴 영구자석 3개 선적분이 추가 서류 요청으로 통관 보류 중. 국내 모터 제조사 2곳의 재고가 약 3주분.",
            "ko", ["Nd", "Dy"], ["850511"], ["permanent-magnets", "electric-vehicles"], 42.5m, 21, today.AddDays(-3), "天津海关"), kr, now.AddHours(-30));
        var licence = Incident.File(Guid.CreateVersion7(now), "KR-CN", "CN", new IncidentFacts(
            "export-licence-delay", Severity.Sev1, "테르븀·디스프로슘 산화물 수출허가 지연",
            "수출허가 신청 6건이 법정 처리기한(45일)을 넘김. 반도체 장비 부품 제조사 생산 중단 우려(2주 이내).",
            "ko", ["Tb", "Dy"], ["2846901000"], ["semiconductors"], 8m, 12, today.AddDays(-10), "商务部"), kr, now.AddMinutes(-1));
        var logistics = Incident.File(Guid.CreateVersion7(now), "KR-CN", "KR", new IncidentFacts(
            "logistics-disruption", Severity.Sev3, "釜山港台风导致氧化镧转运延误",
            "受台风影响，釜山港转运的氧化镧货物预计延误5天。",
            "zh-Hans", ["La"], ["284690"], ["electronics"], 120m, null, today.AddDays(-1), "부산세관"), cn, now.AddHours(-2));
        magnets.Acknowledge(cn, now.AddHours(-28));
        magnets.Comment("HS 8505.11 서류 보완 제출 완료. 금주 내 통관 예상.", Contracts.Visibility.Shared, kr, now.AddHours(-20));
        magnets.Comment("내부 메모: A사 재고 계산 재확인 필요.", Contracts.Visibility.Internal, kr, now.AddHours(-19));

        db.Incidents.AddRange(magnets, licence, logistics);
        await db.SaveChangesAsync(cancellationToken);
    }
}
