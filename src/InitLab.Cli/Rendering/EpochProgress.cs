using System.Diagnostics;
using System.Globalization;
using InitLab.Training;
using Spectre.Console;

namespace InitLab.Cli.Rendering;

/// <summary>
/// A progress bar on a terminal; with output redirected, one line per epoch (or every <c>logEvery</c> epochs, and
/// always the last) on standard error, with the validation metrics, like Keras' <c>verbose=2</c> — Spectre's live
/// displays degrade into run-on text in a log.
/// </summary>
internal static class EpochProgress
{
    public static T Run<T>(CliContext context, string label, int epochs, Func<Action<EpochMetrics>, T> work, int logEvery = 1)
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
                        task.Description = Markup.Escape($"{label} {Metrics(m)}");
                    });
                    // Ends where training ended (early stopping may stop before the last epoch).
                    task.MaxValue = Math.Max(1, task.Value);
                });
            return result;
        }
        var clock = Stopwatch.StartNew();
        int width = epochs.ToString(CultureInfo.InvariantCulture).Length;
        int lastLogged = 0;
        return work(m =>
        {
            if (m.Epoch % logEvery == 0 || m.Epoch == epochs || m.Epoch == 1)
            {
                // Time per epoch since the previous line, so it reads the same whatever --log-every is.
                double perEpoch = clock.Elapsed.TotalSeconds / Math.Max(1, m.Epoch - lastLogged);
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {m.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{epochs} - {perEpoch * 1000:G3} ms/epoch - {Metrics(m)}"));
                lastLogged = m.Epoch;
                clock.Restart();
            }
        });
    }

    /// <summary>"loss 0.3412 - accuracy 91.25% - val_loss 0.3511 - val_accuracy 90.00%" (what is measured, Keras' names).</summary>
    public static string Metrics(EpochMetrics m)
    {
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"loss {m.Loss:G4}") };
        if (!double.IsNaN(m.Accuracy))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy {m.Accuracy:P2}"));
        }
        if (m.ValidationLoss is double validationLoss)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"val_loss {validationLoss:G4}"));
        }
        if (m.ValidationAccuracy is double validationAccuracy && !double.IsNaN(validationAccuracy))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"val_accuracy {validationAccuracy:P2}"));
        }
        return string.Join(" - ", parts);
    }
}
