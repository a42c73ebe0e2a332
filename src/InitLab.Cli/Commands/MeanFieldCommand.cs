using System.CommandLine;
using System.Globalization;
using InitLab.Activations;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Theory;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab meanfield</c>: the mean-field fixed points, depth scales and the critical σ_w², without a model.</summary>
internal static class MeanFieldCommand
{
    public static Command Create(CliContext context)
    {
        var activation = new Option<string>("--activation", "-a") { Description = "elementwise activation (tanh, relu, selu, …)", DefaultValueFactory = _ => "tanh" };
        var weight = new Option<string>("--sigma-w2") { Description = "σ_w² = fan-in × Var[w]: one value, a list 1,1.5,2 or a range start:stop:step", DefaultValueFactory = _ => "1" };
        var bias = new Option<double>("--sigma-b2") { Description = "σ_b² = Var[b], >= 0", DefaultValueFactory = _ => 0.0 };
        var json = new Option<string?>("--json") { Description = "also write the numbers as JSON to FILE ('-' for standard output, instead of the text)" };
        var command = new Command("meanfield",
            "Mean-field signal propagation (Poole et al. 2016, Schoenholz et al. 2017) for one activation: the length fixed point q*, " +
            "χ₁, the correlation fixed point c*, the depth scales ξ_q and ξ_c, and the critical σ_w² (χ₁ = 1) for this σ_b².\n\n" +
            "Examples:\n  initlab meanfield --activation tanh --sigma-w2 1.76 --sigma-b2 0.05\n" +
            "  initlab meanfield --activation tanh --sigma-w2 1,1.5,2,2.5 --sigma-b2 0.05\n" +
            "  initlab meanfield --activation relu --sigma-w2 1:3:0.5 --json -")
        {
            activation, weight, bias, json,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            Activation phi = ActivationRegistry.Resolve(parse.GetValue(activation)!);
            if (!phi.IsElementwise)
            {
                throw new CliUsageException($"--activation: '{phi.Name}' is not elementwise; mean-field theory needs one (tanh, relu, selu, …).");
            }
            double biasVariance = parse.GetValue(bias);
            if (!(biasVariance >= 0) || !double.IsFinite(biasVariance))
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--sigma-b2: got {biasVariance}; it must be a finite number >= 0."));
            }
            IReadOnlyList<double> grid = ParseGrid(parse.GetValue(weight)!);
            MeanFieldSummary[] rows = [.. grid.Select(w => new MeanField(phi, w, biasVariance).Summarize())];
            double critical = MeanField.CriticalWeightVariance(phi, biasVariance);
            string? path = parse.GetValue(json);
            if (path == "-")
            {
                context.Console.Profile.Out.Writer.Write(JsonReport.Serialize(ToJson(phi, biasVariance, critical, rows)));
                return 0;
            }
            Render(context, phi, biasVariance, critical, rows);
            if (path is not null)
            {
                JsonReport.Write(path, ToJson(phi, biasVariance, critical, rows));
                context.Console.MarkupLineInterpolated($"mean-field numbers written to [bold]{path}[/]");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>"1.76", "1,1.5,2" or "1:3:0.5" (inclusive of stop, up to rounding).</summary>
    internal static IReadOnlyList<double> ParseGrid(string text)
    {
        string[] range = text.Split(':', StringSplitOptions.TrimEntries);
        if (range.Length == 3)
        {
            double start = Number(range[0], text), stop = Number(range[1], text), step = Number(range[2], text);
            if (stop < start)
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--sigma-w2: range '{text}' has stop {stop} below start {start}."));
            }
            long count = (long)Math.Floor((stop - start) / step + 1e-9) + 1;
            if (count > 1000)
            {
                throw new CliUsageException($"--sigma-w2: range '{text}' has {count} points; at most 1000.");
            }
            return [.. Enumerable.Range(0, (int)count).Select(i => start + i * step)];
        }
        if (range.Length != 1)
        {
            throw new CliUsageException($"--sigma-w2: '{text}' is neither a number, a list (1,1.5,2) nor a range start:stop:step (1:3:0.5).");
        }
        return [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part => Number(part, text))];
    }

    private static double Number(string part, string text)
    {
        if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || !double.IsFinite(value))
        {
            throw new CliUsageException($"--sigma-w2: '{part}' in '{text}' is not a finite number > 0 (e.g. --sigma-w2 1.76, 1,1.5,2 or 1:3:0.5).");
        }
        return value;
    }

    private static string Phase(double chi1) => chi1 < 1 - 1e-9 ? "ordered" : chi1 > 1 + 1e-9 ? "chaotic" : "critical";

    private static void Render(CliContext context, Activation phi, double biasVariance, double critical, MeanFieldSummary[] rows)
    {
        if (rows.Length == 1)
        {
            MeanFieldSummary s = rows[0];
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phi.Name}, σ_w² = {s.WeightVariance:G6}, σ_b² = {biasVariance:G6}: {Phase(s.Chi1)}"));
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("q* (length fixed point)", G(s.LengthFixedPoint));
            grid.AddRow("χ₁ (= per-layer gradient factor)", G(s.Chi1));
            grid.AddRow("c* (correlation fixed point)", G(s.CorrelationFixedPoint));
            grid.AddRow("χ_c", G(s.ChiC));
            grid.AddRow("ξ_q (layers)", G(s.LengthDepthScale));
            grid.AddRow("ξ_c (layers)", G(s.CorrelationDepthScale));
            grid.AddRow(Markup.Escape($"critical σ_w² at σ_b² = {G(biasVariance)}"), G(critical));
            context.Console.Write(grid);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("σ_w²", "q*", "χ₁", "c*", "χ_c", "ξ_q", "ξ_c", "phase");
        foreach (MeanFieldSummary s in rows)
        {
            table.AddRow(G(s.WeightVariance), G(s.LengthFixedPoint), G(s.Chi1), G(s.CorrelationFixedPoint), G(s.ChiC),
                G(s.LengthDepthScale), G(s.CorrelationDepthScale), Phase(s.Chi1));
        }
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phi.Name}, σ_b² = {biasVariance:G6}"));
        context.Console.Write(table);
        context.Console.WriteLine($"critical σ_w² (χ₁ = 1) at σ_b² = {G(biasVariance)}: {G(critical)}");
    }

    private static Dictionary<string, object?> ToJson(Activation phi, double biasVariance, double critical, MeanFieldSummary[] rows) => new()
    {
        ["activation"] = phi.Name,
        ["sigma_b2"] = biasVariance,
        ["critical_sigma_w2"] = critical,
        ["points"] = rows.Select(s => new Dictionary<string, object?>
        {
            ["sigma_w2"] = s.WeightVariance,
            ["q_star"] = s.LengthFixedPoint,
            ["q_star_infinite"] = double.IsPositiveInfinity(s.LengthFixedPoint),
            ["chi_1"] = s.Chi1,
            ["c_star"] = s.CorrelationFixedPoint,
            ["chi_c"] = s.ChiC,
            ["xi_q"] = s.LengthDepthScale,
            ["xi_c"] = s.CorrelationDepthScale,
            ["gradient_factor"] = s.GradientFactor,
            ["phase"] = Phase(s.Chi1),
        }).ToList(),
    };

    private static string G(double value) => double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "—" : value.ToString("G5", CultureInfo.InvariantCulture);
}
