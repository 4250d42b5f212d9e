using System.Globalization;
using HotlineSystem.Web.Apis;

namespace HotlineSystem.Web.Components;

/// <summary>Catalogue names (minerals, incident types, sectors) in the reader's language.</summary>
public static class CatalogueTexts
{
    public static string Name(this Mineral mineral) => Pick(mineral.NameEn, mineral.NameKo, mineral.NameZh);

    public static string Name(this CatalogueName entry) => Pick(entry.NameEn, entry.NameKo, entry.NameZh);

    public static string Description(this HsCode code) => Pick(code.DescriptionEn, code.DescriptionKo, code.DescriptionZh);

    private static string Pick(string en, string ko, string zh) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName switch
    {
        "ko" => ko,
        "zh" => zh,
        _ => en,
    };
}
