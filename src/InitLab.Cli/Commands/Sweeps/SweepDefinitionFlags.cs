using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Sweeps.Definition;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary>The flags that define a sweep: one per setting (comma-separated values make an axis), the seeds, a spec
/// file or a preset. Flags given with <c>--spec</c> or <c>--preset</c> replace those settings.</summary>
internal sealed class SweepDefinitionFlags
{
    // Values that contain commas themselves are never split: give several of them in a spec file.
    private static readonly HashSet<string> Unsplit = ["layers", "init-param"];

    private readonly List<(string Name, Option<string?> Option)> settings = [];
    private readonly Option<int?> seeds = new("--seeds") { Description = "seeds 1..S for every configuration (default 1, or the spec's/preset's)" };
    private readonly Option<string?> seedList = new("--seed-list") { Description = "explicit seeds instead of 1..S, e.g. 3,7,42" };
    private readonly Option<string?> spec = new("--spec") { Description = "a sweep definition file (.yaml/.yml or .json; see docs/sweeps.md)" };
    private readonly Option<string?> preset = new("--preset") { Description = "a ready-made sweep: " + string.Join(", ", SweepPresets.Names) };

    public SweepDefinitionFlags()
    {
        foreach (string name in SweepSettings.Names)
        {
            string help = SweepSettings.Help(name) + (Unsplit.Contains(name) ? string.Empty : "; comma-separated values make an axis");
            settings.Add((name, new Option<string?>("--" + name) { Description = help }));
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(spec);
        command.Options.Add(preset);
        command.Options.Add(seeds);
        command.Options.Add(seedList);
        foreach ((_, Option<string?> option) in settings)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The --preset value, or null.</summary>
    public string? PresetName(ParseResult parse) => parse.GetValue(preset);

    /// <summary>The definition the flags give (a spec or preset first, then the setting flags over it).</summary>
    public SweepDefinition Build(ParseResult parse)
    {
        string? specPath = parse.GetValue(spec);
        string? presetName = parse.GetValue(preset);
        if (specPath is not null && presetName is not null)
        {
            throw new CliUsageException("--spec and --preset: give one of them (flags can then change single settings).");
        }
        var merged = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        IReadOnlyList<ulong>? baseSeeds = null;
        string source = "flags";
        if (specPath is not null)
        {
            (var fileSettings, baseSeeds) = ReadSpec(specPath);
            merged.AddRange(fileSettings);
            source = $"--spec '{specPath}'";
        }
        else if (presetName is not null)
        {
            (var presetSettings, baseSeeds) = SweepPresets.Settings(presetName);
            merged.AddRange(presetSettings);
            source = $"--preset {presetName}";
        }
        // Axes from flags come in the order the flags were typed (the last typed varies fastest).
        var typed = parse.Tokens.Select(t => t.Value).ToList();
        foreach ((string name, Option<string?> option) in settings.OrderBy(s => typed.IndexOf(s.Option.Name) is int i && i >= 0 ? i : int.MaxValue))
        {
            if (parse.GetValue(option) is not string text)
            {
                continue;
            }
            IReadOnlyList<string> values = Unsplit.Contains(name) ? [text] : text.Split(',', StringSplitOptions.TrimEntries);
            int at = merged.FindIndex(kv => SweepSettings.Known(kv.Key) == name);
            if (at >= 0)
            {
                merged[at] = KeyValuePair.Create(name, values);
            }
            else
            {
                merged.Add(KeyValuePair.Create(name, values));
            }
        }
        IReadOnlyList<ulong> seedValues = Seeds(parse) ?? baseSeeds ?? SweepDefinition.SeedRange(1);
        try
        {
            return SweepDefinition.Create(merged, seedValues);
        }
        catch (ArgumentException error) when (source != "flags")
        {
            throw new ArgumentException($"{source}: {ExceptionText.OneLine(error)}", error);
        }
        catch (ArgumentException error)
        {
            // "depth: got '0' …" came from --depth: every sweep setting is the flag of its name.
            string message = ExceptionText.OneLine(error);
            throw new CliUsageException(error.ParamName is string setting && SweepSettings.Names.Contains(setting)
                ? Errors.LibraryFlags.Name("--" + setting, setting, message)
                : message);
        }
    }

    /// <summary>Reads --spec; the library's "sweep definition …" errors are shown as --spec's.</summary>
    private static (IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Settings, IReadOnlyList<ulong>? Seeds) ReadSpec(string path)
    {
        try
        {
            return SweepSpecFile.ReadSettings(path);
        }
        catch (FileNotFoundException error)
        {
            // Still a FileNotFoundException: the handler adds where to look and keeps exit code 2.
            throw new FileNotFoundException(Errors.LibraryFlags.Name("--spec", "path", error.Message), error.FileName, error);
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException(Errors.LibraryFlags.Name("--spec", "path", ExceptionText.OneLine(error)));
        }
    }

    private IReadOnlyList<ulong>? Seeds(ParseResult parse)
    {
        int? count = parse.GetValue(seeds);
        string? list = parse.GetValue(seedList);
        if (count is not null && list is not null)
        {
            throw new CliUsageException("--seeds and --seed-list: give one of them (a count 1..S, or the seeds themselves).");
        }
        if (count is int n)
        {
            return n >= 1 ? SweepDefinition.SeedRange(n) : throw new CliUsageException($"--seeds: got {n}; it must be a whole number >= 1.");
        }
        if (list is null)
        {
            return null;
        }
        var values = new List<ulong>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            values.Add(ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
                ? seed
                : throw new CliUsageException($"--seed-list: '{part}' in '{list}' is not a whole number >= 0."));
        }
        return values;
    }
}
