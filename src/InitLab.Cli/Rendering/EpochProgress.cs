using System.Globalization;
using InitLab.Training;
using Spectre.Console;

namespace InitLab.Cli.Rendering;

/// <summary>A progress bar on a terminal; plain lines (about ten per run) when output is redirected, because Spectre's
/// live displays degrade into run-on text there.</summary>
internal static class EpochProgress
{
    public static T Run<T>(CliContext context, string label, int epochs, Func<Action<EpochMetrics>, T> work)
    {
        if (context.Interactive)
        {
            T result = default!;
            context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask(label, maxValue: epochs);
                    result = work(m =>
                    {
                        task.Value = m.Epoch;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"{label} loss {m.Loss:G4}");
                    });
                    // No jump to 100 %: after an early stop the bar stays at the last epoch trained.
                    task.StopTask();
                });
            return result;
        }
        int every = Math.Max(1, epochs / 10);
        return work(m =>
        {
            if (m.Epoch % every == 0 || m.Epoch == epochs)
            {
                string accuracy = double.IsNaN(m.Accuracy) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" accuracy {m.Accuracy:P2}");
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: epoch {m.Epoch}/{epochs} loss {m.Loss:G4}{accuracy}"));
            }
        });
    }
}
