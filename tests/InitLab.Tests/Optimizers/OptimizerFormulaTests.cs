using InitLab.Optimizers;

namespace InitLab.Tests.Optimizers;

/// <summary>Three steps of each optimizer against the Keras 3 update formulas, written out here in double
/// (keras/src/optimizers/{sgd,adagrad,rmsprop,adam}.py, update_step), independently of the library's code.</summary>
public class OptimizerFormulaTests
{
    private static readonly double[] W0 = OptimizerHarness.Start;
    private static readonly double[][] G = OptimizerHarness.Gradients;

    [Fact]
    public void Sgd_ThreeSteps_MatchKerasFormula()
    {
        const double lr = 0.1;
        var w = (double[])W0.Clone();
        var expected = new double[G.Length][];
        for (int t = 0; t < G.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= lr * G[t][i];
            }
            expected[t] = (double[])w.Clone();
        }
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Sgd(lr)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SgdMomentum_ThreeSteps_MatchKerasFormula(bool nesterov)
    {
        const double lr = 0.1, mu = 0.9;
        var w = (double[])W0.Clone();
        var velocity = new double[w.Length];
        var expected = new double[G.Length][];
        for (int t = 0; t < G.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                velocity[i] = mu * velocity[i] - lr * G[t][i];
                // Nesterov looks ahead: it steps by the new velocity's momentum part plus the fresh gradient step.
                w[i] += nesterov ? mu * velocity[i] - lr * G[t][i] : velocity[i];
            }
            expected[t] = (double[])w.Clone();
        }
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Sgd(lr, momentum: mu, nesterov: nesterov)));
    }

    [Fact]
    public void Adagrad_ThreeSteps_MatchKerasFormula()
    {
        const double lr = 0.1, initial = 0.1, eps = 1e-7;
        var w = (double[])W0.Clone();
        double[] accumulator = [.. W0.Select(_ => initial)];
        var expected = new double[G.Length][];
        for (int t = 0; t < G.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                accumulator[i] += G[t][i] * G[t][i];
                w[i] -= lr * G[t][i] / Math.Sqrt(accumulator[i] + eps);
            }
            expected[t] = (double[])w.Clone();
        }
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Adagrad(lr)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void RmsProp_ThreeSteps_MatchKerasFormula(double mu)
    {
        const double lr = 0.01, rho = 0.9, eps = 1e-7;
        var w = (double[])W0.Clone();
        var meanSquare = new double[w.Length];
        var velocity = new double[w.Length];
        var expected = new double[G.Length][];
        for (int t = 0; t < G.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                meanSquare[i] = rho * meanSquare[i] + (1 - rho) * G[t][i] * G[t][i];
                double increment = lr * G[t][i] / Math.Sqrt(meanSquare[i] + eps);
                velocity[i] = mu * velocity[i] + increment;
                w[i] -= mu > 0 ? velocity[i] : increment;
            }
            expected[t] = (double[])w.Clone();
        }
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new RmsProp(lr, momentum: mu)));
    }

    [Fact]
    public void RmsProp_KerasDocstringExample_Gives9Point683772()
    {
        // keras.optimizers.RMSprop docstring: lr 0.1, var = 10, loss = var²/2 so the gradient is 10 → 9.683772.
        float[][] after = OptimizerHarness.Run(new RmsProp(0.1), [10.0], [[10.0]]);
        Assert.Equal(9.683772, after[0][0], 6);
    }

    [Fact]
    public void Adam_ThreeSteps_MatchKerasFormula()
    {
        const double lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-7;
        OptimizerHarness.AssertClose(AdamByHand(lr, beta1, beta2, eps, G), OptimizerHarness.Run(new Adam(lr)));
    }

    [Fact]
    public void Adam_OtherBetas_MatchKerasFormula()
    {
        const double lr = 0.05, beta1 = 0.5, beta2 = 0.8, eps = 1e-3;
        OptimizerHarness.AssertClose(AdamByHand(lr, beta1, beta2, eps, G),
            OptimizerHarness.Run(new Adam(lr, beta1, beta2, eps)));
    }

    /// <summary>Keras 3 Adam, t counted from 1: α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); w ← w − α_t·m/(√v + ε).</summary>
    internal static double[][] AdamByHand(double lr, double beta1, double beta2, double eps, double[][] gradients,
        double weightDecay = 0, double l2 = 0)
    {
        var w = (double[])W0.Clone();
        var m = new double[w.Length];
        var v = new double[w.Length];
        var expected = new double[gradients.Length][];
        for (int step = 0; step < gradients.Length; step++)
        {
            int t = step + 1;
            double alpha = lr * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            for (int i = 0; i < w.Length; i++)
            {
                double g = gradients[step][i] + l2 * w[i];
                w[i] -= lr * weightDecay * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                w[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            expected[step] = (double[])w.Clone();
        }
        return expected;
    }
}
