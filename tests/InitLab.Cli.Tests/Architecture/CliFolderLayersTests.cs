using System.Text;
using System.Text.RegularExpressions;

namespace InitLab.Cli.Tests.Architecture;

/// <summary>
/// The folders of src/InitLab.Cli (Commands, Errors, Help, Rendering, …) depend on each other one way only. An edge
/// A → B is a file in A with <c>using InitLab.Cli.B…</c>, a fully qualified <c>InitLab.Cli.B.</c> name, or a name
/// qualified from the shared parent, <c>B.Type</c> (C# resolves that inside <c>InitLab.Cli.A</c>); XML-doc crefs count,
/// plain <c>//</c> comments do not. The root namespace <c>InitLab.Cli</c> is not a node: it holds the entry point that
/// wires every folder (<c>CliApp</c>) and what all of them share (<c>CliContext</c>, <c>ExitCodes</c>), visible in
/// every folder without a using.
/// </summary>
public partial class CliFolderLayersTests
{
    [Fact]
    public void CliFolders_UsingsAndQualifiedNames_FormNoCycle()
    {
        FolderGraph graph = FolderGraph.Read(CliSource());
        List<string> cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "folder cycles in src/InitLab.Cli:\n" + string.Join("\n", cycles));
    }

    /// <summary>Guards the test above against passing on an empty or misread graph.</summary>
    [Fact]
    public void FolderGraph_ReadFromTheSource_SeesTheKnownFoldersAndEdges()
    {
        FolderGraph graph = FolderGraph.Read(CliSource());
        Assert.Subset(graph.Folders, new HashSet<string>(StringComparer.Ordinal) { "Commands", "Errors", "Help", "Rendering" });
        Assert.Contains("Rendering", graph.Targets("Commands"));
    }

    [Fact]
    public void FolderGraph_WrongWayReference_ReportsTheCycleWithItsLines()
    {
        var graph = new FolderGraph(["Commands", "Errors", "Rendering"]);
        graph.Scan("Commands", "Commands/A.cs", "using InitLab.Cli.Rendering;\n");
        graph.Scan("Rendering", "Rendering/B.cs", "// Commands.Ignored: a plain comment is no reference\nstring s = Errors.Text.Of(x);\n");
        graph.Scan("Errors", "Errors/C.cs", "/// <see cref=\"InitLab.Cli.Commands.Flags\"/>\nvar n = result.Errors.Count;\n");

        List<string> cycles = graph.Cycles();

        string cycle = Assert.Single(cycles);
        Assert.Contains("Commands → Rendering → Errors → Commands", cycle, StringComparison.Ordinal);
        Assert.Contains("Rendering/B.cs:2", cycle, StringComparison.Ordinal);
        Assert.Contains("Errors/C.cs:1", cycle, StringComparison.Ordinal);
    }

    private static string CliSource()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InitLab.slnx")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "src", "InitLab.Cli");
    }

    /// <summary>Folder → folder references, each with the file and line it was read from.</summary>
    private sealed partial class FolderGraph(IEnumerable<string> folders)
    {
        private readonly Dictionary<string, SortedDictionary<string, List<string>>> _edges = new(StringComparer.Ordinal);

        public HashSet<string> Folders { get; } = new(folders, StringComparer.Ordinal);

        public static FolderGraph Read(string cliRoot)
        {
            var graph = new FolderGraph(Directory.GetDirectories(cliRoot).Select(Path.GetFileName).OfType<string>()
                .Where(name => name is not ("bin" or "obj")));
            foreach (string folder in graph.Folders)
            {
                foreach (string file in Directory.GetFiles(Path.Combine(cliRoot, folder), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    graph.Scan(folder, Path.GetRelativePath(cliRoot, file).Replace('\\', '/'), File.ReadAllText(file));
                }
            }
            return graph;
        }

        public string[] Targets(string folder) => _edges.TryGetValue(folder, out var targets) ? [.. targets.Keys] : [];

        public void Scan(string folder, string file, string text)
        {
            string[] lines = text.ReplaceLineEndings("\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                string trimmed = line.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) && !trimmed.StartsWith("///", StringComparison.Ordinal))
                {
                    continue;
                }
                IEnumerable<string> named = UsingPattern().Matches(line).Concat(QualifiedPattern().Matches(line)).Concat(ParentQualifiedPattern().Matches(line))
                    .Select(m => m.Groups["folder"].Value);
                foreach (string target in named.Where(t => t != folder && Folders.Contains(t)).Distinct())
                {
                    var targets = _edges.TryGetValue(folder, out var found) ? found : _edges[folder] = new(StringComparer.Ordinal);
                    (targets.TryGetValue(target, out var evidence) ? evidence : targets[target] = []).Add($"{file}:{i + 1}: {trimmed}");
                }
            }
        }

        /// <summary>One line per cycle (per group of folders that reach each other): the path, then the lines behind each edge.</summary>
        public List<string> Cycles()
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var cycles = new List<string>();
            foreach (string start in Folders.Order(StringComparer.Ordinal))
            {
                if (reported.Contains(start) || ShortestPath(start, start) is not { } path)
                {
                    continue;
                }
                reported.UnionWith(path);
                var text = new StringBuilder(string.Join(" → ", path));
                for (int i = 0; i + 1 < path.Count; i++)
                {
                    foreach (string evidence in _edges[path[i]][path[i + 1]].Take(3))
                    {
                        text.Append($"\n    {path[i]} → {path[i + 1]}: {evidence}");
                    }
                }
                cycles.Add(text.ToString());
            }
            return cycles;
        }

        /// <summary>Breadth-first from <paramref name="from"/>, the fewest edges to <paramref name="to"/> (at least one), or null.</summary>
        private List<string>? ShortestPath(string from, string to)
        {
            var previous = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>([from]);
            while (queue.TryDequeue(out string? node))
            {
                foreach (string next in Targets(node))
                {
                    if (next == to)
                    {
                        var path = new List<string> { to, node };
                        while (path[^1] != from)
                        {
                            path.Add(previous[path[^1]]);
                        }
                        path.Reverse();
                        return path;
                    }
                    if (next != from && previous.TryAdd(next, node))
                    {
                        queue.Enqueue(next);
                    }
                }
            }
            return null;
        }

        [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?InitLab\.Cli\.(?<folder>\w+)")]
        private static partial Regex UsingPattern();

        [GeneratedRegex(@"\bInitLab\.Cli\.(?<folder>\w+)\.")]
        private static partial Regex QualifiedPattern();

        [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?=[A-Z])")]
        private static partial Regex ParentQualifiedPattern();
    }
}
