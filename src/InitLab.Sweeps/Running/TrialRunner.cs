using System.Diagnostics;
using System.Text;
using System.Text.Json;
using InitLab.Common;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Sweeps.Running;

/// <summary>Runs one trial: settings → <see cref="TrainingRecipe"/> → training → <see cref="TrialResult"/>.</summary>
/// <remarks>
/// The network is probed at initialisation (one forward and backward pass on the first <see cref="ProbeRows"/> training
/// rows, <see cref="Probe"/>), trained, evaluated, and given a verdict (<see cref="VerdictClassifier"/>). A training that
/// diverges is a result, not an error: verdict "diverged", NaN losses, the epochs it ran. Bad settings throw
/// <see cref="ArgumentException"/> (the worker records the trial as failed with the message). Everything but
/// <see cref="TrialResult.Seconds"/> is a pure function of the settings and the seed: the same trial gives bit-identical
/// results on any machine and thread count (the engine's kernels are deterministic).
/// </remarks>
public static class TrialRunner
{
    /// <summary>Rows of the training split the initial probe uses (as the practicals do).</summary>
    public const int ProbeRows = 256;

    /// <summary>The verdict name of a run whose loss became NaN or infinite.</summary>
    public const string DivergedVerdict = "diverged";

    /// <summary>Runs the trial.</summary>
    /// <param name="trial">Settings and seed.</param>
    /// <param name="threads">Kernel threads (default 1: a sweep parallelises across trials).</param>
    /// <param name="cancellation">Stops the training between two batches (<see cref="OperationCanceledException"/>).</param>
    /// <returns>What it measured.</returns>
    /// <exception cref="ArgumentException">Bad settings (unknown name, a network that does not fit the data, …).</exception>
    public static TrialResult Run(TrialSpec trial, int threads = 1, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        TrainingRecipe recipe = SweepRecipe.From(trial, threads, cancellation);
        var probe = new InitialProbe(recipe);
        recipe = recipe with { Callbacks = [probe] };
        var epochs = new List<EpochMetrics>();
        TrainingOutcome? outcome = null;
        TrainingDivergedException? divergence = null;
        try
        {
            outcome = recipe.Run(epochs.Add);
        }
        catch (TrainingDivergedException error)
        {
            divergence = error;
        }
        if (probe.AtInit is null)
        {
            throw new InvalidOperationException("The initial probe did not run: Fit never called OnTrainBegin.");
        }
        string history = HistoryJson(epochs);
        string layers = LayersJson(probe.AtInit, probe.KernelStd);
        if (outcome is null)
        {
            (_, string why) = VerdictClassifier.Classify(new VerdictEvidence(probe.AtInit, false, [], Diverged: true, double.NaN));
            return new TrialResult(clock.Elapsed.TotalSeconds, Math.Max(divergence!.Epoch, epochs.Count), double.NaN, double.NaN, double.NaN, double.NaN,
                DivergedVerdict, $"{divergence.Message} At initialisation: {why}.", history, layers);
        }
        Sequential model = outcome.Model;
        int hidden = model.DenseLayers.Count - 1;
        bool unchanged = true;
        for (int i = 0; i < hidden; i++)
        {
            unchanged &= model.DenseLayers[i].Kernel.SequenceEqual(probe.Kernels[i]) && model.DenseLayers[i].Bias.SequenceEqual(probe.Biases[i]);
        }
        var distinct = model.DenseLayers.Take(hidden).Select(WeightStatistics.DistinctUnits).ToList();
        var evidence = new VerdictEvidence(probe.AtInit, unchanged, distinct, Diverged: false, outcome.Test.Accuracy);
        (Verdict verdict, string reason) = VerdictClassifier.Classify(evidence);
        return new TrialResult(clock.Elapsed.TotalSeconds, outcome.History.Epochs.Count, outcome.Train.Loss, outcome.Train.Accuracy,
            outcome.Test.Loss, outcome.Test.Accuracy, VerdictClassifier.Name(verdict), reason, history, layers);
    }

    /// <summary>Per-epoch metrics as a JSON array: epoch, loss, accuracy, val_loss, val_accuracy (null when absent or not finite).</summary>
    /// <param name="epochs">The epochs.</param>
    /// <returns>The JSON text.</returns>
    public static string HistoryJson(IReadOnlyList<EpochMetrics> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        return Json(writer =>
        {
            writer.WriteStartArray();
            foreach (EpochMetrics e in epochs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("epoch", e.Epoch);
                Number(writer, "loss", e.Loss);
                Number(writer, "accuracy", e.Accuracy);
                Number(writer, "val_loss", e.ValidationLoss);
                Number(writer, "val_accuracy", e.ValidationAccuracy);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    /// <summary>Per-layer statistics at initialisation as a JSON array (the probe's <see cref="LayerSnapshot"/> fields in
    /// snake_case, plus the kernel's std).</summary>
    /// <param name="snapshot">The probe.</param>
    /// <param name="kernelStd">Each layer's kernel standard deviation.</param>
    /// <returns>The JSON text.</returns>
    public static string LayersJson(ModelSnapshot snapshot, IReadOnlyList<double> kernelStd)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(kernelStd);
        return Json(writer =>
        {
            writer.WriteStartArray();
            for (int i = 0; i < snapshot.Layers.Count; i++)
            {
                LayerSnapshot l = snapshot.Layers[i];
                writer.WriteStartObject();
                writer.WriteNumber("layer", i);
                writer.WriteString("name", l.Layer);
                writer.WriteNumber("units", l.Units);
                writer.WriteString("activation", l.Activation);
                Number(writer, "weight_std", kernelStd[i]);
                Number(writer, "pre_activation_mean", l.PreActivationMean);
                Number(writer, "pre_activation_std", l.PreActivationStd);
                Number(writer, "pre_activation_mean_square", l.PreActivationMeanSquare);
                Number(writer, "activation_mean", l.ActivationMean);
                Number(writer, "activation_std", l.ActivationStd);
                Number(writer, "dead_fraction", l.DeadFraction);
                Number(writer, "saturated_fraction", l.SaturatedFraction);
                Number(writer, "kernel_gradient_norm", l.KernelGradientNorm);
                Number(writer, "bias_gradient_norm", l.BiasGradientNorm);
                Number(writer, "gradient_norm", l.GradientNorm);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Probes the network when training begins (after any LSUV calibration) and keeps its initial weights.</summary>
    private sealed class InitialProbe(TrainingRecipe recipe) : TrainingCallback
    {
        public ModelSnapshot? AtInit { get; private set; }

        public List<float[]> Kernels { get; } = [];

        public List<float[]> Biases { get; } = [];

        public List<double> KernelStd { get; } = [];

        public override void OnTrainBegin(Sequential model)
        {
            // The recipe's own splits, built again (deterministic, and cheap next to the training): the probe batch is
            // the first rows of the scaled training split with the targets the loss expects.
            (_, Data.Dataset train, _, Tensor targets, _) = (recipe with { Callbacks = [] }).Prepare();
            int rows = Math.Min(ProbeRows, train.Rows);
            int width = targets.Shape[1];
            var x = new Tensor(train.Features.Data[..(rows * train.FeatureCount)], rows, train.FeatureCount);
            var y = new Tensor(targets.Data[..(rows * width)], rows, width);
            foreach (Dense layer in model.DenseLayers)
            {
                Kernels.Add(layer.Kernel.ToArray());
                Biases.Add(layer.Bias.ToArray());
                KernelStd.Add(SampleStatistics.PopulationStandardDeviation(layer.Kernel));
            }
            AtInit = Probe.Measure(model, x, y);
        }
    }
}
