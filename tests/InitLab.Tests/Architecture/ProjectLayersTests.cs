using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using InitLab.Diagnostics;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Architecture;

/// <summary>
/// The projects' layers as docs/architecture.md draws them: the table between its project-layers markers lists the
/// projects from the top layer down, each with the projects and packages it may reference. A project may reference only
/// projects in rows below its own (never up, never sideways) and only the packages its row names. The compiler then
/// keeps every namespace inside its project's walls.
/// </summary>
public sealed partial class ProjectLayersTests
{
    private const string BeginMarker = "<!-- project-layers:begin -->";
    private const string EndMarker = "<!-- project-layers:end -->";

    [Fact]
    public void SourceProjects_ReferenceOnlyLowerProjectsAndTheirListedPackages()
    {
        IReadOnlyList<LayerRow> layers = ReadLayers();
        var problems = new List<string>();
        foreach (string csproj in Directory.GetFiles(RepositoryRoot.Combine("src"), "*.csproj", SearchOption.AllDirectories))
        {
            problems.AddRange(Violations(csproj, layers));
        }
        Assert.True(problems.Count == 0, "Against the picture in docs/architecture.md:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void LayerTable_NamesEverySourceProjectOnce_AndOnlyThose()
    {
        var inTable = ReadLayers().Select(l => l.Project).ToList();
        var onDisk = Directory.GetFiles(RepositoryRoot.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(inTable.Count, inTable.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(onDisk, inTable.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void BuiltLibraryAssemblies_ReferenceOnlyTheInitLabAssembliesBelowThem()
    {
        IReadOnlyList<LayerRow> layers = ReadLayers();
        Assembly[] libraries = [typeof(Sequential).Assembly, typeof(ModelFile).Assembly, typeof(Probe).Assembly];
        Assert.Equal(["InitLab.Engine", "InitLab.IO", "InitLab"], libraries.Select(a => a.GetName().Name!));
        foreach (Assembly library in libraries)
        {
            string name = library.GetName().Name!;
            var below = Below(name, layers);
            var referenced = library.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("InitLab", StringComparison.Ordinal));
            Assert.All(referenced, r => Assert.True(below.Contains(r), $"{name}.dll references {r}, which is not below it in docs/architecture.md."));
        }
    }

    [Fact]
    public void Violations_ReferenceUpOrSidewaysOrUnlistedPackage_AreEachReported()
    {
        // The rule itself, on a made-up project file: one reference up, one to itself (sideways), one unlisted package.
        IReadOnlyList<LayerRow> layers = ReadLayers();
        using var dir = new TempDirectory();
        string csproj = Path.Combine(dir.Path, "InitLab.IO.csproj");
        File.WriteAllText(csproj, """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../InitLab.Engine/InitLab.Engine.csproj" />
                <ProjectReference Include="../InitLab/InitLab.csproj" />
                <ProjectReference Include="../InitLab.IO/InitLab.IO.csproj" />
                <PackageReference Include="CsvHelper" />
                <PackageReference Include="ScottPlot" />
              </ItemGroup>
            </Project>
            """);
        var problems = Violations(csproj, layers).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("InitLab.IO references InitLab,", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("InitLab.IO references InitLab.IO,", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("InitLab.IO uses the package ScottPlot", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Violations(string csproj, IReadOnlyList<LayerRow> layers)
    {
        string project = Path.GetFileNameWithoutExtension(csproj);
        LayerRow? row = layers.FirstOrDefault(l => l.Project == project);
        if (row is null)
        {
            yield return $"{project} is not in the table.";
            yield break;
        }
        var below = Below(project, layers);
        XDocument xml = XDocument.Load(csproj);
        foreach (string reference in Includes(xml, "ProjectReference").Select(Path.GetFileNameWithoutExtension).OfType<string>())
        {
            if (!below.Contains(reference))
            {
                yield return $"{project} references {reference}, which is not in a row below it (up or sideways).";
            }
        }
        foreach (string package in Includes(xml, "PackageReference"))
        {
            if (!row.Packages.Contains(package))
            {
                yield return $"{project} uses the package {package}, which its row does not list ({string.Join(", ", row.Packages)}).";
            }
        }
    }

    private static IEnumerable<string> Includes(XDocument xml, string item) =>
        xml.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>().Select(s => s.Replace('\\', '/'));

    private static HashSet<string> Below(string project, IReadOnlyList<LayerRow> layers)
    {
        int index = layers.Select(l => l.Project).ToList().IndexOf(project);
        return [.. layers.Skip(index + 1).Select(l => l.Project)];
    }

    private static List<LayerRow> ReadLayers()
    {
        string doc = File.ReadAllText(RepositoryRoot.Combine("docs", "architecture.md")).ReplaceLineEndings("\n");
        int begin = doc.IndexOf(BeginMarker, StringComparison.Ordinal);
        int end = doc.IndexOf(EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/architecture.md lacks the {BeginMarker} … {EndMarker} table.");
        var rows = new List<LayerRow>();
        foreach (string line in doc[(begin + BeginMarker.Length)..end].Split('\n'))
        {
            string[] cells = line.Split('|');
            if (cells.Length < 6 || !cells[1].Contains('`', StringComparison.Ordinal))
            {
                continue; // the header, the separator, blank lines
            }
            rows.Add(new LayerRow(
                BacktickedNames().Match(cells[1]).Groups[1].Value,
                [.. BacktickedNames().Matches(cells[3]).Select(m => m.Groups[1].Value)],
                new HashSet<string>(cells[4].Split(',').Select(p => p.Trim()).Where(p => p.Length > 0 && p != "—"), StringComparer.Ordinal)));
        }
        Assert.True(rows.Count >= 5, "docs/architecture.md's layer table has fewer than 5 projects.");
        // The table must itself be layered: every reference it allows points to a row below.
        foreach (LayerRow row in rows)
        {
            var below = Below(row.Project, rows);
            Assert.All(row.References, r => Assert.True(below.Contains(r), $"docs/architecture.md: {row.Project} lists {r}, which is not below it."));
        }
        return rows;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickedNames();

    private sealed record LayerRow(string Project, IReadOnlyList<string> References, IReadOnlySet<string> Packages);
}
