using System.Text.RegularExpressions;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Architecture;

/// <summary>
/// The library speaks of its parameters (<c>task</c>, <c>shard</c>, <c>labelColumn</c>), never of the CLI's flags or
/// commands: <c>initlab</c> maps parameter names to flags (InitLab.Cli/Errors/LibraryFlags.cs). This scans the string
/// literals of the library assemblies' sources so that <c>--task</c> or <c>initlab train</c> cannot creep back into a
/// message; comments and XML docs may still say which command uses a type.
/// </summary>
public partial class LibraryTextNamesNoFlagsTests
{
    private static readonly string[] LibraryFolders = ["src/InitLab.Engine", "src/InitLab.IO", "src/InitLab", "src/InitLab.Sweeps"];

    /// <summary>Text the library writes for a shell on purpose. Each entry: the file, the start of the literal, and why.</summary>
    private static readonly (string File, string LiteralStart, string Why)[] AllowList =
    [
        // sbatch reads its options from "#SBATCH --name=value" lines at the top of the batch script this type renders.
        ("src/InitLab.Sweeps/Cluster/SlurmBatchScript.cs", "#SBATCH --", "sbatch directives in the Slurm batch script"),
    ];

    [Fact]
    public void LibrarySources_StringLiterals_NameNoFlagOrCommandOutsideTheAllowList()
    {
        var found = new List<string>();
        var allowedUsed = new HashSet<int>();
        foreach ((string file, int line, string literal) in Literals())
        {
            if (!CliText().IsMatch(literal))
            {
                continue;
            }
            int allowed = Array.FindIndex(AllowList, a => a.File == file && literal.StartsWith(a.LiteralStart, StringComparison.Ordinal));
            if (allowed >= 0)
            {
                allowedUsed.Add(allowed);
                continue;
            }
            found.Add($"{file}:{line}: \"{literal}\"");
        }

        Assert.True(found.Count == 0,
            "Library text that speaks CLI (name the parameter instead; the CLI maps it to the flag in LibraryFlags):\n" + string.Join("\n", found));
        // An entry that no longer matches anything would silently allow the next one.
        Assert.Equal(Enumerable.Range(0, AllowList.Length), allowedUsed.Order());
    }

    [Theory]
    [InlineData("\"pass --task regression\"", "pass --task regression")]
    [InlineData("$\"{file}: use --label {name}\"", "{file}: use --label {name}")]
    [InlineData("@\"run \"\"initlab train\"\"\"", "run \"initlab train\"")]
    [InlineData("\"\"\"\n  see initlab inits\n  \"\"\"", "\n  see initlab inits\n  ")]
    [InlineData("$\"{(ok ? \"a\" : \"--shard b\")} c\"", "{(ok ? \"a\" : \"--shard b\")} c")]
    public void Literals_OfEachStringForm_AreFoundAndFlagged(string source, string literal)
    {
        var literals = Literals(source).ToList();

        Assert.Contains(literal, literals);
        Assert.Contains(literals, CliText().IsMatch);
    }

    [Theory]
    [InlineData("// says \"pass --task regression\"\nint x = 1;")]
    [InlineData("/// <summary>What \"initlab train\" parses into.</summary>")]
    [InlineData("/* \"--shard\" */ char c = '\"'; s = \"i--\"; // --b\"")]
    [InlineData("x--; y = a --b;")]
    [InlineData("\"initlab-model\" + \"<!--comment-->\" + \"the InitLab format\"")]
    public void Literals_CommentsCodeAndProductNames_AreNotFlagged(string source) =>
        Assert.DoesNotContain(Literals(source), CliText().IsMatch);

    /// <summary>A flag (<c>--task</c>, not <c>i--</c> or an HTML <c>&lt;!--</c>) or a command line (<c>initlab train</c>).</summary>
    [GeneratedRegex(@"(?<![\w\-!])--[a-z]|\binitlab [a-z]", RegexOptions.CultureInvariant)]
    private static partial Regex CliText();

    private static IEnumerable<(string File, int Line, string Literal)> Literals()
    {
        string root = RepositoryRoot.Path;
        foreach (string folder in LibraryFolders)
        {
            foreach (string path in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }
                string text = File.ReadAllText(path);
                foreach ((int offset, string literal) in LiteralsAt(text))
                {
                    yield return (relative, 1 + text.AsSpan(0, offset).Count('\n'), literal);
                }
            }
        }
    }

    private static IEnumerable<string> Literals(string source) => LiteralsAt(source).Select(l => l.Literal);

    /// <summary>
    /// The string literals of C# source, each with its offset: "regular", @"verbatim", """raw""" and their $ forms, whose
    /// text includes the holes (a literal nested in a hole is also returned on its own). Comments and char literals are
    /// skipped. Enough C# to find text, not a compiler: the build has already checked the source is valid.
    /// </summary>
    private static List<(int Offset, string Literal)> LiteralsAt(string source)
    {
        var literals = new List<(int, string)>();
        int i = 0;
        Scan(source, ref i, literals, stopAtBrace: false);
        return literals;
    }

    /// <summary>Reads code until the end (or, inside an interpolation hole, until its closing brace).</summary>
    private static void Scan(string s, ref int i, List<(int, string)> literals, bool stopAtBrace)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '/' && At(s, i + 1) == '/')
            {
                i = s.IndexOf('\n', i) is int end and >= 0 ? end : s.Length;
            }
            else if (c == '/' && At(s, i + 1) == '*')
            {
                i = s.IndexOf("*/", i + 2, StringComparison.Ordinal) is int end and >= 0 ? end + 2 : s.Length;
            }
            else if (c == '\'')
            {
                // A char literal: '"', '\'', '\u0022'.
                i++;
                while (i < s.Length && s[i] != '\'')
                {
                    i += s[i] == '\\' ? 2 : 1;
                }
                i++;
            }
            else if (StringStart(s, i) is (int prefix, bool verbatim, int dollars, int quotes))
            {
                int start = i;
                i += prefix + quotes;
                string literal = ReadString(s, ref i, verbatim, dollars, quotes, literals);
                literals.Add((start, literal));
            }
            else if (stopAtBrace && c == '{')
            {
                depth++;
                i++;
            }
            else if (stopAtBrace && c == '}')
            {
                if (depth == 0)
                {
                    return;
                }
                depth--;
                i++;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>At a string's start: the length of its $/@ prefix, whether it is verbatim, how many $ and how many opening quotes.</summary>
    private static (int Prefix, bool Verbatim, int Dollars, int Quotes)? StringStart(string s, int i)
    {
        int j = i;
        int dollars = 0;
        bool verbatim = false;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            dollars += s[j] == '$' ? 1 : 0;
            verbatim |= s[j] == '@';
            j++;
        }
        if (At(s, j) != '"')
        {
            return null;
        }
        int quotes = 0;
        while (At(s, j + quotes) == '"')
        {
            quotes++;
        }
        // "" is an empty regular string; """ or more opens a raw string.
        return (j - i, verbatim, dollars, quotes >= 3 ? quotes : 1);
    }

    private static string ReadString(string s, ref int i, bool verbatim, int dollars, int quotes, List<(int, string)> literals)
    {
        var text = new System.Text.StringBuilder();
        string close = new('"', quotes);
        while (i < s.Length)
        {
            if (quotes >= 3 && string.CompareOrdinal(s, i, close, 0, quotes) == 0)
            {
                i += quotes;
                break;
            }
            char c = s[i];
            if (quotes == 1 && c == '"')
            {
                if (verbatim && At(s, i + 1) == '"')
                {
                    text.Append('"');
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (quotes == 1 && !verbatim && c == '\\')
            {
                char next = At(s, i + 1);
                text.Append(next switch { 'n' => '\n', 't' => '\t', '0' => '\0', _ => next });
                i += 2;
                continue;
            }
            if (dollars > 0 && c == '{')
            {
                int run = 1;
                while (At(s, i + run) == '{')
                {
                    run++;
                }
                if (run < dollars || (dollars == 1 && run == 2))
                {
                    // {{ in $"…" is a brace; fewer braces than $ in a raw string are text.
                    text.Append('{', dollars == 1 ? 1 : run);
                    i += run;
                    continue;
                }
                int holeStart = i;
                i += run;
                Scan(s, ref i, literals, stopAtBrace: true);
                int run2 = 0;
                while (At(s, i + run2) == '}' && run2 < dollars)
                {
                    run2++;
                }
                i += run2;
                text.Append(s, holeStart, i - holeStart);
                continue;
            }
            if (dollars == 1 && c == '}' && At(s, i + 1) == '}')
            {
                text.Append('}');
                i += 2;
                continue;
            }
            text.Append(c);
            i++;
        }
        return text.ToString();
    }

    private static char At(string s, int i) => i >= 0 && i < s.Length ? s[i] : '\0';
}
