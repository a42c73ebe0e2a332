namespace InitLab.Optimizers;

/// <summary>Adagrad (Keras 3): acc ← acc + g²; w ← w − lr·g/√(acc + ε). Defaults lr 0.001, initial accumulator 0.1, ε 1e-7.</summary>
/// <param name="learningRate">Step size.</param>
/// <param name="initialAccumulator">Starting accumulator value, ≥ 0.</param>
/// <param name="epsilon">ε.</param>
/// <param name="weightDecay">L2 coefficient.</param>
public sealed class Adagrad(double learningRate = 0.001, double initialAccumulator = 0.1, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    private float[][] _accumulator = [];

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters) =>
        _accumulator = [.. parameters.Select(p => Enumerable.Repeat((float)initialAccumulator, p.Value.Length).ToArray())];

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        Span<float> acc = _accumulator[index];
        float lr = (float)LearningRate, eps = (float)epsilon;
        for (int i = 0; i < value.Length; i++)
        {
            acc[i] += gradient[i] * gradient[i];
            value[i] -= lr * gradient[i] / MathF.Sqrt(acc[i] + eps);
        }
    }
}

/// <summary>RMSprop (Keras 3): v ← ρ·v + (1 − ρ)·g²; w ← w − lr·g/√(v + ε) (with momentum μ: m ← μ·m + that step).
/// Defaults lr 0.001, ρ 0.9, μ 0, ε 1e-7.</summary>
/// <param name="learningRate">Step size.</param>
/// <param name="rho">ρ in [0, 1).</param>
/// <param name="momentum">μ in [0, 1).</param>
/// <param name="epsilon">ε.</param>
/// <param name="weightDecay">L2 coefficient.</param>
public sealed class RmsProp(double learningRate = 0.001, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    private float[][] _meanSquare = [];
    private float[][] _momentum = [];

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters)
    {
        _meanSquare = [.. parameters.Select(p => new float[p.Value.Length])];
        _momentum = momentum > 0 ? [.. parameters.Select(p => new float[p.Value.Length])] : [];
    }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        Span<float> v = _meanSquare[index];
        float lr = (float)LearningRate, r = (float)rho, eps = (float)epsilon, mu = (float)momentum;
        for (int i = 0; i < value.Length; i++)
        {
            v[i] = r * v[i] + (1 - r) * gradient[i] * gradient[i];
            float step = lr * gradient[i] / MathF.Sqrt(v[i] + eps);
            if (mu > 0)
            {
                Span<float> m = _momentum[index];
                m[i] = mu * m[i] + step;
                step = m[i];
            }
            value[i] -= step;
        }
    }
}

/// <summary>Adam (Kingma &amp; Ba 2015, Keras 3 form): m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// w ← w − α_t·m/(√v + ε), α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ). Defaults lr 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.</summary>
/// <param name="learningRate">Step size.</param>
/// <param name="beta1">β₁ in [0, 1).</param>
/// <param name="beta2">β₂ in [0, 1).</param>
/// <param name="epsilon">ε.</param>
/// <param name="weightDecay">L2 coefficient.</param>
public sealed class Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    private float[][] _m = [];
    private float[][] _v = [];

    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters)
    {
        _m = [.. parameters.Select(p => new float[p.Value.Length])];
        _v = [.. parameters.Select(p => new float[p.Value.Length])];
    }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        Span<float> m = _m[index], v = _v[index];
        double t = Iterations;
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t)));
        float b1 = (float)beta1, b2 = (float)beta2, eps = (float)epsilon;
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            value[i] -= alpha * m[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }
}
