namespace HotlineSystem.Incidents.Catalogue;

/// <summary>
/// The reference data a fresh deployment starts with. It is data, not code: administrators
/// extend it in the database (new HS codes, parties and channels), and the seeder only adds
/// entries that are missing, never overwriting what is there.
/// </summary>
public static class CatalogueSeed
{
    public static readonly IReadOnlyList<Mineral> Minerals =
    [
        new("Sc", 21, "Scandium", "스칸듐", "钪"),
        new("Y", 39, "Yttrium", "이트륨", "钇"),
        new("La", 57, "Lanthanum", "란타넘", "镧"),
        new("Ce", 58, "Cerium", "세륨", "铈"),
        new("Pr", 59, "Praseodymium", "프라세오디뮴", "镨"),
        new("Nd", 60, "Neodymium", "네오디뮴", "钕"),
        new("Pm", 61, "Promethium", "프로메튬", "钷"),
        new("Sm", 62, "Samarium", "사마륨", "钐"),
        new("Eu", 63, "Europium", "유로퓸", "铕"),
        new("Gd", 64, "Gadolinium", "가돌리늄", "钆"),
        new("Tb", 65, "Terbium", "터븀", "铽"),
        new("Dy", 66, "Dysprosium", "디스프로슘", "镝"),
        new("Ho", 67, "Holmium", "홀뮴", "钬"),
        new("Er", 68, "Erbium", "어븀", "铒"),
        new("Tm", 69, "Thulium", "툴륨", "铥"),
        new("Yb", 70, "Ytterbium", "이터븀", "镱"),
        new("Lu", 71, "Lutetium", "루테튬", "镥"),
    ];

    // These headings have stood unchanged since the Harmonized System came into force (1 January 1988).
    private static readonly DateOnly HarmonizedSystem1988 = new(1988, 1, 1);

    public static readonly IReadOnlyList<HsCode> HsCodes =
    [
        new("280530", "Rare-earth metals, scandium and yttrium", "희토류 금속, 스칸듐 및 이트륨", "稀土金属、钪及钇", HarmonizedSystem1988, null),
        new("284610", "Cerium compounds", "세륨 화합물", "铈的化合物", HarmonizedSystem1988, null),
        new("284690", "Other compounds of rare-earth metals, yttrium or scandium", "기타 희토류 금속·이트륨·스칸듐 화합물", "其他稀土金属、钇或钪的化合物", HarmonizedSystem1988, null),
        new("850511", "Permanent magnets of metal", "금속제 영구자석", "金属制永磁体", HarmonizedSystem1988, null),
    ];

    public static readonly IReadOnlyList<Sector> Sectors =
    [
        new("semiconductors", "Semiconductors", "반도체", "半导体"),
        new("electric-vehicles", "Electric vehicles", "전기차", "电动汽车"),
        new("batteries", "Batteries", "배터리", "电池"),
        new("permanent-magnets", "Permanent magnets", "영구자석", "永磁体"),
        new("electronics", "Electronics", "전자", "电子"),
        new("automotive-parts", "Automotive parts", "자동차 부품", "汽车零部件"),
        new("defence", "Defence", "방위", "国防"),
        new("other", "Other", "기타", "其他"),
    ];

    public static readonly IReadOnlyList<IncidentType> IncidentTypes =
    [
        new("export-licence-delay", "Export-licence delay", "수출허가 지연", "出口许可延误"),
        new("export-restriction", "Export restriction or quota change", "수출 제한 또는 쿼터 변경", "出口限制或配额变化"),
        new("customs-hold", "Customs hold", "통관 보류", "海关扣留"),
        new("logistics-disruption", "Logistics disruption", "물류 차질", "物流中断"),
        new("price-spike", "Price spike", "가격 급등", "价格飙升"),
        new("quality-problem", "Quality or specification problem", "품질 또는 규격 문제", "质量或规格问题"),
        new("production-outage", "Production outage (force majeure)", "생산 중단(불가항력)", "停产（不可抗力）"),
        new("regulatory-change", "Regulatory or control-list change", "규제 또는 통제목록 변경", "法规或管制清单变化"),
        new("other", "Other", "기타", "其他"),
    ];
}
