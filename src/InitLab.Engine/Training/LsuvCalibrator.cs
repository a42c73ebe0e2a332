using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Tensors;

namespace InitLab.Training;

/// <summary>The outcome of LSUV for one layer.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Trials">Forward passes used.</param>
/// <param name="Variance">Output variance after the last rescale.</param>
/// <param name="Converged">Whether |Var − 1| &lt; tolerance.</param>
public sealed record LsuvLayerResult(string Layer, int Trials, double Variance, bool Converged);

/// <summary>The outcome of LSUV for a model.</summary>
/// <param name="Layers">Per processed layer.</param>
public sealed record LsuvReport(IReadOnlyList<LsuvLayerResult> Layers)
{
    /// <summary>Plain-words warnings for layers that did not converge.</summary>
    public IEnumerable<string> Warnings => Layers.Where(l => !l.Converged).Select(l => string.Create(CultureInfo.InvariantCulture,
        $"LSUV: layer '{l.Layer}' did not reach unit variance in {l.Trials} trials (variance {l.Variance:G4}); its weights are left at the last rescale."));
}

/// <summary>
/// Step 2 of LSUV (Mishkin &amp; Matas 2016): for each layer whose kernel initializer is <see cref="Lsuv"/>, first to
/// last, forward the batch, compute the variance of the layer's pre-activation over all elements, stop when
/// |Var − 1| &lt; Tol, else W ← W/√Var; at most T_max rescales. Biases and other layers are untouched. Runs once per
/// initialisation: <see cref="Sequential.Fit"/> calls it only while <see cref="Sequential.LsuvPending"/> is set.
/// </summary>
public static class LsuvCalibrator
{
    /// <summary>Calibrates <paramref name="model"/> on <paramref name="batch"/>.</summary>
    /// <param name="model">The model (already initialised: LSUV layers hold their orthonormal start).</param>
    /// <param name="batch">Input rows (scale them to unit variance first, as the paper's authors advise).</param>
    /// <returns>Per-layer results.</returns>
    /// <exception cref="ArgumentException"><paramref name="batch"/> has no rows.</exception>
    /// <exception cref="InvalidOperationException">A layer's output variance is 0 or not finite (a dead layer): rescaling cannot help.</exception>
    public static LsuvReport Calibrate(Sequential model, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        int rows = batch.Shape[0];
        if (rows < 1)
        {
            // Checked here so the message names LSUV's batch rather than the empty span the variance would be taken of.
            throw new ArgumentException("LsuvCalibrator.Calibrate: the batch has 0 rows; LSUV measures each layer's variance on it, so pass at least one row.", nameof(batch));
        }
        var input = (float[])batch.Data.Clone();
        var results = new List<LsuvLayerResult>();
        foreach (Dense layer in model.DenseLayers)
        {
            if (layer.KernelInitializer is not Lsuv lsuv)
            {
                continue;
            }
            int trials = 0;
            double variance;
            while (true)
            {
                model.Forward(input, rows, PassMode.Probe);
                trials++;
                variance = SampleStatistics.PopulationVariance(layer.PreActivation);
                if (!(variance > 0) || !double.IsFinite(variance))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"LSUV: layer '{layer.Name}' has output variance {variance} on the calibration batch (a dead or saturated layer); rescaling cannot give it unit variance. Check the inputs and the layers before it."));
                }
                if (Math.Abs(variance - 1) < lsuv.Tolerance || trials > lsuv.MaxIterations)
                {
                    break;
                }
                Span<float> kernel = layer.Kernel;
                TensorPrimitives.Multiply(kernel, (float)(1 / Math.Sqrt(variance)), kernel);
            }
            results.Add(new LsuvLayerResult(layer.Name, trials, variance, Math.Abs(variance - 1) < lsuv.Tolerance));
        }
        model.LsuvPending = false;
        return new LsuvReport(results);
    }
}
