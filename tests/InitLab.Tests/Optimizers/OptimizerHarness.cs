using InitLab.Optimizers;

namespace InitLab.Tests.Optimizers;

/// <summary>Runs an optimizer on one small parameter with a fixed gradient sequence, and compares with values worked
/// out in double in the test.</summary>
internal static class OptimizerHarness
{
    public static readonly double[] Start = [0.5, -1.5, 2.0, 1.25];

    /// <summary>The seven built-in update rules, by the names <see cref="CreateRule"/> takes.</summary>
    public static readonly string[] RuleNames = ["sgd", "momentum", "nesterov", "adam", "adagrad", "rmsprop", "rmsprop_momentum"];

    /// <summary>One of <see cref="RuleNames"/> with the given weight decay and L2 (learning rates that move the values
    /// visibly in a few steps).</summary>
    public static Optimizer CreateRule(string name, double weightDecay, double l2) => name switch
    {
        "sgd" => new Sgd(0.1, weightDecay: weightDecay, l2: l2),
        "momentum" => new Sgd(0.1, 0.9, weightDecay: weightDecay, l2: l2),
        "nesterov" => new Sgd(0.1, 0.9, nesterov: true, weightDecay: weightDecay, l2: l2),
        "adam" => new Adam(0.01, weightDecay: weightDecay, l2: l2),
        "adagrad" => new Adagrad(0.1, weightDecay: weightDecay, l2: l2),
        "rmsprop" => new RmsProp(0.01, weightDecay: weightDecay, l2: l2),
        _ => new RmsProp(0.01, momentum: 0.5, weightDecay: weightDecay, l2: l2),
    };

    // A fixed gradient sequence with mixed signs and magnitudes (and one sign change per element).
    public static readonly double[][] Gradients =
    [
        [0.2, -0.4, 1.5, -0.05],
        [-0.1, -0.3, 0.9, 0.3],
        [0.25, 0.1, -2.0, 0.02],
    ];

    /// <summary>The parameter after each step.</summary>
    public static float[][] Run(Optimizer optimizer, bool isBias = false) => Run(optimizer, Start, Gradients, isBias);

    public static float[][] Run(Optimizer optimizer, double[] start, double[][] gradients, bool isBias = false)
    {
        var parameter = new Parameter(isBias ? "p/bias" : "p/kernel", ToFloat(start), new float[start.Length], isBias);
        Parameter[] parameters = [parameter];
        var after = new float[gradients.Length][];
        for (int step = 0; step < gradients.Length; step++)
        {
            ToFloat(gradients[step]).CopyTo(parameter.Gradient, 0);
            optimizer.Step(parameters);
            after[step] = (float[])parameter.Value.Clone();
        }
        return after;
    }

    /// <summary>Asserts every step's values to 1e-6 relative.</summary>
    public static void AssertClose(double[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int step = 0; step < expected.Length; step++)
        {
            for (int i = 0; i < expected[step].Length; i++)
            {
                double e = expected[step][i], a = actual[step][i];
                Assert.True(Math.Abs(a - e) <= 1e-6 * Math.Abs(e),
                    $"step {step + 1}, element {i}: expected {e:R}, got {a:R} (relative error {Math.Abs(a - e) / Math.Abs(e):E2})");
            }
        }
    }

    public static float[] ToFloat(double[] values) => [.. values.Select(v => (float)v)];
}
