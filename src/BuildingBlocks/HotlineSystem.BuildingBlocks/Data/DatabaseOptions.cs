namespace HotlineSystem.BuildingBlocks.Data;

public enum DatabaseProvider
{
    /// <summary>Embedded mode: one SQLite file per service under <see cref="DatabaseOptions.DataDirectory"/>.</summary>
    Sqlite,

    /// <summary>Distributed mode: one schema per service in PostgreSQL, EF Core migrations.</summary>
    PostgreSQL,
}

/// <summary>The "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite files (embedded mode).</summary>
    public string DataDirectory { get; set; } = "data";
}
