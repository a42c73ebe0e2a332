using System.Globalization;
using InitLab.Cli.Rendering;
using InitLab.Diagnostics;
using InitLab.Experiments;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>train --monitor DIR</c>: the folder (checked and locked before training, like a practicals report folder;
/// a previous monitor report there is replaced, a folder holding other files is refused) and the monitor that fills it.</summary>
internal sealed class MonitorRun : IDisposable
{
    private readonly ReportFolder _folder;

    private MonitorRun(ReportFolder folder, int every)
    {
        _folder = folder;
        Monitor = new TrainingMonitor(every);
    }

    public TrainingMonitor Monitor { get; }

    /// <summary>Null when <paramref name="folder"/> is null (no --monitor).</summary>
    public static MonitorRun? Open(string? folder, int every) =>
        folder is null ? null : new MonitorRun(ReportFolder.Open("--monitor", folder, force: true), every);

    /// <summary>Prints the initial-loss warning, writes the files and swaps the folder in.</summary>
    public void Finish(CliContext context, TrainingOutcome outcome)
    {
        if (Monitor.InitialLoss?.Warning is string warning)
        {
            context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }
        TrainingRecipe r = outcome.Recipe;
        string run = string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Model} on {r.Data}; init {r.KernelInitializer}, optimizer {outcome.Model.Optimizer?.Name} (lr {outcome.Model.Optimizer?.LearningRate:G3}), batch {r.BatchSize}, {outcome.History.Epochs.Count} epochs, {outcome.History.Steps} steps, seed {r.Seed}.");
        MonitorReport.Write(_folder.WorkingPath, Monitor, run);
        _folder.Commit();
        context.Error.WriteLine($"training monitor: {Monitor.Samples.Count} records written to {_folder.TargetPath} (open {MonitorReport.HtmlFile})");
    }

    public void Dispose() => _folder.Dispose();
}
