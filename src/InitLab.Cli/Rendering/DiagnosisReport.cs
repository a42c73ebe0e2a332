using System.Globalization;
using InitLab.Diagnostics;
using InitLab.Training;
using Spectre.Console;

namespace InitLab.Cli.Rendering;

/// <summary>
/// <c>diagnose</c>'s console report and JSON: the verdict first, the per-Dense table (measured beside mean-field), and
/// for a model with residual blocks or normalization layers a per-block table (branch F(x), skip s(x), output, and
/// α²·E[F²]/E[x²] measured beside the residual recursion), the normalization layers' outputs and where the prediction is
/// only approximate. A plain Dense stack's report is exactly the per-Dense one.
/// </summary>
internal static class DiagnosisReport
{
    /// <summary>Writes the report.</summary>
    /// <param name="context">Where to write.</param>
    /// <param name="model">The diagnosed model.</param>
    /// <param name="diagnosis">Its diagnosis.</param>
    /// <param name="requestedRows">Rows asked for.</param>
    /// <param name="rows">Rows probed (fewer for very wide layers).</param>
    /// <param name="maxBatchValues">The per-layer batch cap that lowered the rows.</param>
    public static void Render(CliContext context, Sequential model, Diagnosis diagnosis, int requestedRows, int rows, int maxBatchValues)
    {
        context.Console.WriteLine(model.ToString());
        // The verdict comes first, before the table: an exploded or dead network must not be read as a table of numbers.
        string name = VerdictClassifier.Name(diagnosis.Verdict);
        if (diagnosis.Verdict == Verdict.Healthy)
        {
            context.Console.MarkupLineInterpolated($"verdict at initialization: [green bold]{name}[/] — {diagnosis.Reason}");
        }
        else
        {
            context.Console.MarkupLineInterpolated($"verdict at initialization: [red bold]{name.ToUpperInvariant()}[/] — {diagnosis.Reason}");
        }
        var table = new FittedTable().Text("layer").Numbers("units").Text("activation")
            .Numbers("E[z²]", "predicted E[z²]", "activation std", "predicted std", "dead", "saturated", "‖∇‖");
        foreach (var (m, p) in diagnosis.Layers)
        {
            table.AddRow(m.Layer, m.Units.ToString(CultureInfo.InvariantCulture), m.Activation, G(m.PreActivationMeanSquare),
                p is null ? "—" : G(p.PreActivationMeanSquare), G(m.ActivationStd), p is null || double.IsNaN(p.ActivationStd) ? "—" : G(p.ActivationStd),
                m.DeadFraction.ToString("P0", CultureInfo.InvariantCulture), m.SaturatedFraction.ToString("P0", CultureInfo.InvariantCulture), G(m.GradientNorm));
        }
        table.Write(context.Console);
        WriteBlocks(context, diagnosis.Blocks);
        WriteNormalizations(context, diagnosis.Normalizations);
        foreach (string warning in diagnosis.Warnings)
        {
            context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }
        foreach (string note in diagnosis.Notes)
        {
            context.Console.MarkupLineInterpolated($"note: {note}");
        }
        foreach (string caveat in diagnosis.PredictionCaveats)
        {
            context.Console.MarkupLineInterpolated($"[dim]prediction: {caveat}[/]");
        }
        context.Console.MarkupLineInterpolated($"[bold]advice:[/] {diagnosis.Advice.Text}");
        if (rows < requestedRows)
        {
            context.Console.MarkupLineInterpolated(
                $"[dim]probe batch: {rows} rows instead of {requestedRows}, so that the widest layer's batch holds at most {maxBatchValues:N0} values.[/]");
        }
        context.Console.MarkupLineInterpolated($"[dim]{Diagnosis.Scope} To see it: initlab train, initlab practicals.[/]");
    }

    /// <summary>The block and normalization tables of a monitor sample (a trained model: measured only, no prediction).</summary>
    /// <param name="context">Where to write.</param>
    /// <param name="sample">The sample.</param>
    public static void WriteBlocks(CliContext context, MonitorSample sample)
    {
        WriteBlocks(context, [.. sample.Blocks.Select(b => new DiagnosedBlock(b, null))]);
        WriteNormalizations(context, sample.Normalizations);
    }

    /// <summary>The per-block table: what each block's branch adds to its input, measured beside the recursion.</summary>
    private static void WriteBlocks(CliContext context, IReadOnlyList<DiagnosedBlock> blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        var table = new FittedTable { Title = "residual blocks y = s(x) + α·F(x); mean squares E[·²], predicted by q_{l+1} = q_s + α²·q_F" }
            .Text("block").Numbers("width", "α", "branch F std", "skip s std", "output std", "E[x²]", "α²E[F²]/E[x²]", "predicted", "E[y²]/E[x²]", "predicted");
        foreach (var (m, p) in blocks)
        {
            table.AddRow(m.Block + (m.BranchNormalized ? " (norm)" : string.Empty), m.Width.ToString(CultureInfo.InvariantCulture), G(m.Alpha),
                G(m.BranchStd), G(m.ShortcutStd), G(m.OutputStd), G(m.InputMeanSquare), G(m.BranchToInputRatio),
                p is null ? "—" : G(p.BranchToInputRatio), G(m.Growth), p is null ? "—" : G(p.Growth));
        }
        table.Write(context.Console);
    }

    private static void WriteNormalizations(CliContext context, IReadOnlyList<OutputSnapshot> layers)
    {
        if (layers.Count == 0)
        {
            return;
        }
        var table = new FittedTable { Title = "normalization layers (output scale set by γ, β)" }
            .Text("layer", "kind").Numbers("width", "output mean", "output std");
        foreach (OutputSnapshot l in layers)
        {
            table.AddRow(l.Layer, l.Kind, l.Width.ToString(CultureInfo.InvariantCulture), G(l.Mean), G(l.Std));
        }
        table.Write(context.Console);
    }

    /// <summary>The diagnosis as JSON; the block, normalization and caveat keys only for a model that has them.</summary>
    /// <param name="model">The model.</param>
    /// <param name="diagnosis">Its diagnosis.</param>
    /// <returns>The JSON object.</returns>
    public static Dictionary<string, object?> ToJson(Sequential model, Diagnosis diagnosis)
    {
        var json = new Dictionary<string, object?>
        {
            ["model"] = model.ToString(),
            ["initializer"] = model.DenseLayers[0].KernelInitializer.ToString(),
            ["loss"] = diagnosis.Loss,
            ["verdict"] = VerdictClassifier.Name(diagnosis.Verdict),
            ["verdict_reason"] = diagnosis.Reason,
            ["judged"] = "at_initialization",
            ["recommended_initializer"] = diagnosis.Advice.Initializer,
            ["advice"] = diagnosis.Advice.Text,
            ["warnings"] = diagnosis.Warnings.ToList(),
            ["notes"] = diagnosis.Notes.ToList(),
            ["layers"] = diagnosis.Layers.Select(l => new Dictionary<string, object?>
            {
                ["name"] = l.Measured.Layer,
                ["units"] = l.Measured.Units,
                ["activation"] = l.Measured.Activation,
                ["pre_activation_mean_square"] = l.Measured.PreActivationMeanSquare,
                ["predicted_pre_activation_mean_square"] = l.Predicted?.PreActivationMeanSquare,
                ["activation_std"] = l.Measured.ActivationStd,
                ["predicted_activation_std"] = l.Predicted?.ActivationStd,
                ["predicted_gradient_factor"] = l.Predicted?.GradientFactor,
                ["dead_fraction"] = l.Measured.DeadFraction,
                ["saturated_fraction"] = l.Measured.SaturatedFraction,
                ["gradient_norm"] = l.Measured.GradientNorm,
            }).ToList(),
        };
        AddBlocks(json, diagnosis.Blocks, diagnosis.Normalizations);
        if (diagnosis.PredictionCaveats.Count > 0)
        {
            json["prediction_caveats"] = diagnosis.PredictionCaveats.ToList();
        }
        return json;
    }

    /// <summary>Adds "blocks" and "normalizations" to a JSON object when there are any.</summary>
    /// <param name="json">The object.</param>
    /// <param name="blocks">Blocks, measured and predicted.</param>
    /// <param name="normalizations">Normalization layers' outputs.</param>
    public static void AddBlocks(Dictionary<string, object?> json, IReadOnlyList<DiagnosedBlock> blocks, IReadOnlyList<OutputSnapshot> normalizations)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (blocks.Count > 0)
        {
            json["blocks"] = blocks.Select(b => new Dictionary<string, object?>
            {
                ["name"] = b.Measured.Block,
                ["width"] = b.Measured.Width,
                ["alpha"] = b.Measured.Alpha,
                ["branch_normalized"] = b.Measured.BranchNormalized,
                ["input_mean_square"] = b.Measured.InputMeanSquare,
                ["branch_mean_square"] = b.Measured.BranchMeanSquare,
                ["branch_std"] = b.Measured.BranchStd,
                ["shortcut_mean_square"] = b.Measured.ShortcutMeanSquare,
                ["shortcut_std"] = b.Measured.ShortcutStd,
                ["output_mean_square"] = b.Measured.OutputMeanSquare,
                ["output_std"] = b.Measured.OutputStd,
                ["branch_to_input_ratio"] = b.Measured.BranchToInputRatio,
                ["growth"] = b.Measured.Growth,
                ["predicted_branch_mean_square"] = b.Predicted?.BranchMeanSquare,
                ["predicted_branch_to_input_ratio"] = b.Predicted?.BranchToInputRatio,
                ["predicted_growth"] = b.Predicted?.Growth,
            }).ToList();
        }
        if (normalizations.Count > 0)
        {
            json["normalizations"] = normalizations.Select(n => new Dictionary<string, object?>
            {
                ["name"] = n.Layer,
                ["kind"] = n.Kind,
                ["width"] = n.Width,
                ["output_mean"] = n.Mean,
                ["output_std"] = n.Std,
            }).ToList();
        }
    }

    // Non-finite values are shown as ∞/NaN (they are the news); "—" means "no value" (no prediction).
    private static string G(double value) => double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : NonFiniteStatistic.Symbol(value);
}
