using InitLab.Data;

namespace InitLab.Cli.Errors;

/// <summary>
/// The one place where the library's parameter names become this tool's flags. The library knows no flags: a bad value
/// is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names the parameter or property
/// (<c>shard</c>, <c>Task</c>) and whose message starts with that name (<c>shard: expected INDEX/COUNT …</c>); a data file
/// that only another value of a parameter would read says so in <see cref="DataFormatException.ParamName"/>. Each command
/// lists here which parameter its flags become, and <see cref="ErrorReport"/> puts the flag where the parameter's name was:
/// <c>error: --shard: expected INDEX/COUNT …</c>.
/// </summary>
/// <remarks>The mapping is per command, because the same name can come from a flag in one command and from a saved model
/// in another (evaluate rebuilds a model's data with the task the model recorded: no flag to name there). Names compare
/// ignoring case, so a property (<c>Task</c>) and the parameter it is passed on as (<c>task</c>) are one entry.</remarks>
internal static class LibraryFlags
{
    private const string Store = "--store";

    /// <summary>Command path (as <see cref="Help.ParseErrorMessage.CommandPath"/> spells it) → library parameter → flag.
    /// A "flag" may carry the value that selects the parameter's source, as <c>--shard auto</c> does for the environment.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Tables = new(StringComparer.Ordinal)
    {
        // TrainingRecipe's properties, DataSource's task check, CsvDataLoader's parameters.
        ["initlab train"] = Table([("task", "--task"), ("layers", "--layers"), ("loss", "--loss"), ("targetScaling", "--target-scale"), ("labelColumn", "--label"),
            ("kernelInitializerParameters", "--init-param"), .. Architecture]),
        ["initlab diagnose"] = Table([("layers", "--layers"), .. Architecture]),
        // WeightArrays.ParseLayout(layout).
        ["initlab export"] = Table(("layout", "--layout")),
        ["initlab import"] = Table(("layout", "--layout")),
        // SweepShard.Parse(shard) and FromEnvironment(environment, count); SweepStores' store.
        ["initlab sweep worker"] = Table(("shard", "--shard"), ("count", "--shard-count"), ("environment", "--shard auto"), ("store", Store)),
        ["initlab sweep slurm"] = Table(("array", "--array"), ("store", Store)),
        ["initlab sweep run"] = Table(("store", Store)),
        ["initlab sweep create"] = Table(("store", Store)),
        ["initlab sweep status"] = Table(("store", Store)),
        ["initlab sweep report"] = Table(("store", Store)),
        ["initlab sweep export"] = Table(("store", Store)),
    };

    /// <summary>ArchitectureOptions' properties (the ParamName of ArchitectureBuilder's errors), TrainingRecipe's model file
    /// (ModelSpecFile's <c>modelFile</c>), and the flags they come from in train and diagnose.</summary>
    private static (string, string)[] Architecture =>
    [
        ("Architecture", "--arch"), ("Width", "--width"), ("Depth", "--depth"), ("Blocks", "--blocks"), ("BlockLayers", "--block-layers"),
        ("Normalization", "--norm"), ("ResidualInit", "--residual-init"), ("Parametrization", "--parametrization"), ("BaseWidth", "--base-width"),
        ("KernelInitializer", "--init"), ("modelFile", "--model"),
    ];

    /// <summary>Every entry, for the test that checks each flag is an option of its command.</summary>
    public static IEnumerable<(string Command, string Parameter, string Flag)> Entries =>
        Tables.SelectMany(t => t.Value.Select(e => (t.Key, e.Key, e.Value)));

    /// <summary>The parameter an exception is about, when the library named one.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>The parameter's name, or null.</returns>
    public static string? ParameterOf(Exception exception) => exception switch
    {
        ArgumentException { ParamName: string name } => name,
        DataFormatException { ParamName: string name } => name,
        _ => null,
    };

    /// <summary>The exception's one line (<see cref="ExceptionText.OneLine"/>), with the flag in place of the parameter
    /// when <paramref name="command"/> maps the parameter the exception names.</summary>
    /// <param name="exception">The exception that reached the top of the command.</param>
    /// <param name="command">The command path (<c>initlab sweep worker</c>), or null when parsing did not get that far.</param>
    /// <returns>The message for <c>error: …</c>.</returns>
    public static string Describe(Exception exception, string? command)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string message = ExceptionText.OneLine(exception);
        return command is not null && Tables.TryGetValue(command, out var table)
            && ParameterOf(exception) is string parameter && table.TryGetValue(parameter, out string? flag)
            ? Name(flag, parameter, message)
            : message;
    }

    /// <summary>Names the flag in a library message about <paramref name="parameter"/>: its <c>parameter: </c> head becomes
    /// <c>flag: </c>; a message without that head gets the flag in front.</summary>
    /// <param name="flag">The flag, e.g. <c>--store</c>.</param>
    /// <param name="parameter">The library parameter, e.g. <c>store</c>.</param>
    /// <param name="message">The library's one-line message.</param>
    /// <returns>E.g. <c>--store: 'runs' is a folder; …</c> from <c>store: 'runs' is a folder; …</c>.</returns>
    public static string Name(string flag, string parameter, string message)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(message);
        string head = parameter + ": ";
        return flag + ": " + (message.StartsWith(head, StringComparison.OrdinalIgnoreCase) ? message[head.Length..] : message);
    }

    private static Dictionary<string, string> Table(params IEnumerable<(string Parameter, string Flag)> entries) =>
        entries.ToDictionary(e => e.Parameter, e => e.Flag, StringComparer.OrdinalIgnoreCase);
}
