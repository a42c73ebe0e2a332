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
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = BarWidth }, new PercentageColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask(label, maxValue: epochs);
                    result = work(m =>
                    {
                        task.Value = m.Epoch;
                        task.Description = Markup.Escape(Fit($"{label} {CompactMetrics(m)}", context.Console.Profile.Width - BarColumnsWidth));
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
                    $"epoch {m.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{epochs} - {Milliseconds(perEpoch * 1000)} ms/epoch - {Metrics(m)}"));
                lastLogged = m.Epoch;
                clock.Restart();
            }
        });
    }

    // A 16-cell bar, "100%" and "00:00:00" with their gaps take 32 columns; the description gets the rest, so the live
    // line never wraps (a wrapped live line repaints as a scrolling mess; label + metrics fit 80 columns).
    private const int BarWidth = 16;
    private const int BarColumnsWidth = BarWidth + 16;

    /// <summary>Milliseconds with three significant digits, never in exponent form: 0.012, 1.23, 12.3, 123, 1234.</summary>
    public static string Milliseconds(double ms) => ms switch
    {
        >= 100 or <= -100 => ms.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 or <= -10 => ms.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 or <= -1 => ms.ToString("F2", CultureInfo.InvariantCulture),
        _ => ms.ToString("F3", CultureInfo.InvariantCulture),
    };

    /// <summary>The live line's short form: "loss 0.341 acc 91.2 % val 0.351/90.0 %".</summary>
    public static string CompactMetrics(EpochMetrics m)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"loss {m.Loss:G3}");
        if (!double.IsNaN(m.Accuracy))
        {
            text += string.Create(CultureInfo.InvariantCulture, $" acc {m.Accuracy:P1}");
        }
        if (m.ValidationLoss is double validationLoss)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" val {validationLoss:G3}");
            if (m.ValidationAccuracy is double validationAccuracy && !double.IsNaN(validationAccuracy))
            {
                text += string.Create(CultureInfo.InvariantCulture, $"/{validationAccuracy:P1}");
            }
        }
        return text;
    }

    /// <summary>The text cut to at most <paramref name="width"/> characters (at least 20), ending in "…" when cut.</summary>
    public static string Fit(string text, int width)
    {
        width = Math.Max(20, width);
        return text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
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
