namespace HotlineSystem.UnitTests;

/// <summary>Where the repository is, for tests that read its files as a person edits them (texts, resx).</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HotlineSystem.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HotlineSystem.sln not found above the test's folder.");
    }
}
