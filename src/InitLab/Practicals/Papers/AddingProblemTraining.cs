using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// What the irnn and forget-bias practicals share: one recurrent layer and a Dense(1) readout trained with Adam on fresh
/// adding-problem batches (<see cref="AddingProblem"/>), the training loss averaged over windows of
/// <see cref="Window"/> steps, and the MSE on 1000 held-out sequences at the end. Fresh batches every step (no epochs):
/// the task is an infinite stream in Le et al. (2015), so the learning curve is about memory, not memorising.
/// </summary>
/// <remarks>No gradient clipping: InitLab's optimizers have none. Le et al. clipped SGD's gradients; Adam's per-weight
/// step is bounded by about η whatever the gradient's size, which is what clipping was for there.</remarks>
public static class AddingProblemTraining
{
    /// <summary>Steps per point of the learning curve.</summary>
    public const int Window = 50;

    /// <summary>Held-out sequences the final MSE is measured on.</summary>
    public const int TestSequences = 1000;

    /// <summary>One run: the mean training loss of each window of <see cref="Window"/> steps (shorter when training
    /// diverged), and the held-out MSE at the end (+∞ when it diverged).</summary>
    /// <param name="Curve">Loss per window.</param>
    /// <param name="TestMse">Held-out MSE.</param>
    public sealed record Run(double[] Curve, double TestMse)
    {
        /// <summary>The step count at the end of the first window whose mean loss is ≤ <paramref name="loss"/>, or null.</summary>
        /// <param name="loss">The level.</param>
        /// <returns>Steps, or null when never reached.</returns>
        public int? StepsTo(double loss)
        {
            int i = Array.FindIndex(Curve, v => v <= loss);
            return i < 0 ? null : (i + 1) * Window;
        }
    }

    /// <summary>Trains <paramref name="recurrent"/> + Dense(1) (weights from <paramref name="seed"/>) for
    /// <paramref name="steps"/> Adam steps on batches drawn from stream 0 of Rng(seed); tests on stream 1.</summary>
    /// <param name="recurrent">A fresh recurrent layer returning its last state.</param>
    /// <param name="timesteps">T.</param>
    /// <param name="steps">Adam steps (a multiple of <see cref="Window"/>).</param>
    /// <param name="batch">Sequences per step.</param>
    /// <param name="learningRate">Adam's η.</param>
    /// <param name="seed">Weight and data seed.</param>
    /// <returns>The run.</returns>
    public static Run Train(Layer recurrent, int timesteps, int steps, int batch, double learningRate, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        var model = new Sequential(AddingProblem.InputShape(timesteps), [recurrent, new Dense(1)], seed) { Threads = 1 };
        model.Compile(LossRegistry.Resolve("mse"), new Adam(learningRate));
        var data = new Rng(seed);
        Rng stream = data.Fork(0);
        var curve = new List<double>();
        double sum = 0;
        try
        {
            for (int step = 0; step < steps; step++)
            {
                Dataset b = AddingProblem.Generate(batch, timesteps, stream);
                sum += model.TrainBatch(b.Features, b.RegressionTargets!);
                if ((step + 1) % Window == 0)
                {
                    curve.Add(sum / Window);
                    sum = 0;
                }
            }
        }
        catch (TrainingDivergedException)
        {
            return new Run([.. curve], double.PositiveInfinity);
        }
        Dataset test = AddingProblem.Generate(TestSequences, timesteps, data.Fork(1));
        float[] prediction = model.Predict(test.Features).Data;
        ReadOnlySpan<float> target = test.RegressionTargets!.Data;
        double error = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double d = prediction[i] - (double)target[i];
            error += d * d;
        }
        double mse = error / prediction.Length;
        return new Run([.. curve], double.IsFinite(mse) ? mse : double.PositiveInfinity);
    }

    /// <summary>The mean curve over runs (a window only over the runs that reached it).</summary>
    /// <param name="runs">The runs.</param>
    /// <returns>Loss per window.</returns>
    public static double[] MeanCurve(IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        int length = runs.Max(r => r.Curve.Length);
        return [.. Enumerable.Range(0, length).Select(i => runs.Where(r => r.Curve.Length > i).Average(r => r.Curve[i]))];
    }
}
