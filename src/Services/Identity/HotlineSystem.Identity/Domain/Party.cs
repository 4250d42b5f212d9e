namespace HotlineSystem.Identity.Domain;

/// <summary>A government whose people use the hotline (ISO 3166 alpha-2 code). Parties are data, never an enum.</summary>
public sealed class Party(string code, string name)
{
    public string Code { get; private set; } = code;

    public string Name { get; private set; } = name;
}
