using InitLab.Common;
using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Initializers;
using InitLab.Persistence;
using InitLab.Random;
using InitLab.Tensors;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab init</c>: one initialized tensor written as float32 .npy.</summary>
internal static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name", "-n") { Description = "initializer name (see 'initlab inits')", Required = true };
        var shape = new Option<string>("--shape") { Description = "dimensions, e.g. 784,256 or 3,3,16,32", Required = true }.Check(ShapeProblem);
        var layout = new Option<string>("--layout") { Description = "how fans are read from the shape: keras (…, in, out) or pytorch (out, in, …)", DefaultValueFactory = _ => "keras" };
        var seed = new Option<ulong>("--seed", "-s") { Description = "generator seed", DefaultValueFactory = _ => 1UL };
        var parameters = new Option<string[]>("--param", "-p") { Description = "initializer parameter key=value (repeatable), e.g. -p mode=fan_out" };
        var gain = new Option<double?>("--gain") { Description = "gain (xavier_*, glorot_uniform, orthogonal, identity)" }.Check(x => x is double v ? Flags.PositiveFiniteProblem(v) : null);
        var nonlinearity = new Option<string?>("--nonlinearity") { Description = "nonlinearity for kaiming_* (relu, leaky_relu, tanh, …)" };
        var output = new Option<string>("--out", "-o") { Description = "the .npy file to write", Required = true };
        var force = new Option<bool>("--force") { Description = "replace --out if it exists" };
        var command = new Command("init",
            "Initialize one tensor and write it as float32 .npy (C order), readable by numpy.load.\n\n" +
            "Examples:\n  initlab init --name he_normal --shape 784,256 --out w.npy\n" +
            "  initlab init --name kaiming_uniform --shape 64,3,3,3 --layout pytorch --nonlinearity relu --out conv.npy\n" +
            "  initlab init --name orthogonal --gain 2 --shape 128,128 --seed 7 --out q.npy")
        {
            name, shape, layout, seed, parameters, gain, nonlinearity, output, force,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            int[] dims = ParseShape(parse.GetValue(shape)!);
            string path = parse.GetValue(output)!;
            OutputPaths.NotStdout(new("--out", path), "a binary .npy file");
            OutputPaths.RequireFileLocation(new("--out", path));
            if (File.Exists(path) && !parse.GetValue(force))
            {
                throw new CliUsageException($"--out: '{path}' exists; add --force to replace it or choose another name (nothing was written).");
            }
            WeightLayout weightLayout = parse.GetValue(layout)!.ToLowerInvariant() switch
            {
                "keras" => WeightLayout.Keras,
                "pytorch" or "torch" => WeightLayout.PyTorch,
                string other => throw new CliUsageException($"--layout: got '{other}'; it must be keras or pytorch."),
            };
            var pairs = new List<string>(parse.GetValue(parameters) ?? []);
            if (parse.GetValue(gain) is double g)
            {
                pairs.Add(string.Create(CultureInfo.InvariantCulture, $"gain={g}"));
            }
            if (parse.GetValue(nonlinearity) is string n)
            {
                pairs.Add($"nonlinearity={n}");
            }
            IInitializer initializer = InitializerRegistry.Resolve(parse.GetValue(name)!, InitializerParameters.Parse(pairs));
            Fans fans = Fans.FromShape(dims, weightLayout);
            var values = new float[Tensor.ElementCount(dims)];
            initializer.Fill(values, dims, fans, new Rng(parse.GetValue(seed)));
            NpyWriter.Write(path, values, dims);
            context.Console.MarkupLineInterpolated($"{initializer} {Tensor.FormatShape(dims)} {fans} → [bold]{path}[/]");
            return 0;
        }));
        return command;
    }

    private static int[] ParseShape(string text) => ShapeProblem(text) is string problem
        ? throw new CliUsageException($"--shape: {problem}")
        : [.. text.Split(',', StringSplitOptions.TrimEntries).Select(p => int.Parse(p, NumberStyles.Integer, CultureInfo.InvariantCulture))];

    /// <summary>Every dimension a whole number >= 1, and the tensor small enough for one array and this machine's memory.</summary>
    private static string? ShapeProblem(string text)
    {
        long elements = 1;
        bool overflow = false;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) || d < 1)
            {
                return $"'{part}' in '{text}' is not a whole number >= 1 (e.g. --shape 784,256).";
            }
            overflow |= elements > long.MaxValue / d;
            elements = overflow ? long.MaxValue : elements * d;
        }
        if (overflow || elements > Array.MaxLength)
        {
            string count = overflow ? "more than 9.2e18" : elements.ToString("N0", CultureInfo.InvariantCulture);
            return $"'{text}' has {count} elements; one tensor holds at most {Array.MaxLength:N0}.";
        }
        long bytes = elements * sizeof(float) * 2;
        return bytes > MemoryBudget.AvailableBytes
            ? $"'{text}' needs about {MemoryBudget.Format(bytes)} of memory, but this process can use {MemoryBudget.Format(MemoryBudget.AvailableBytes)}."
            : null;
    }
}
