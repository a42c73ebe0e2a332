namespace InitLab.Tests.TestUtilities;

/// <summary>The checkout the tests run from: the first folder above the test binaries that holds InitLab.slnx.</summary>
internal static class RepositoryRoot
{
    /// <summary>The repository's root folder.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path inside the repository, from its parts.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "InitLab.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"InitLab.slnx not found above {AppContext.BaseDirectory}.");
    }
}
