using System.Numerics.Tensors;

namespace InitLab.Optimizers;

/// <summary>
/// Gradient descent. Batch, stochastic and mini-batch gradient descent are batch-size choices of the training loop.
/// Keras: v ← μ·v − lr·g; w ← w + v (Nesterov: w ← w + μ·v − lr·g). μ = 0 is plain w ← w − lr·g.
/// </summary>
/// <param name="learningRate">Keras default 0.01.</param>
/// <param name="momentum">μ in [0, 1).</param>
/// <param name="nesterov">Nesterov momentum.</param>
/// <param name="weightDecay">L2 coefficient.</param>
public sealed class Sgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    private float[][] _velocity = [];

    /// <summary>μ.</summary>
    public double Momentum { get; } = momentum is >= 0 and < 1
        ? momentum
        : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"SGD: momentum must be in [0, 1), got {momentum}.");

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc />
    public override string Name => Nesterov ? "nesterov" : Momentum > 0 ? "momentum" : "sgd";

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters) =>
        _velocity = Momentum > 0 ? [.. parameters.Select(p => new float[p.Value.Length])] : [];

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        float lr = (float)LearningRate;
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradient, -lr, value, value);
            return;
        }
        float mu = (float)Momentum;
        Span<float> v = _velocity[index];
        for (int i = 0; i < value.Length; i++)
        {
            v[i] = mu * v[i] - lr * gradient[i];
            value[i] += Nesterov ? mu * v[i] - lr * gradient[i] : v[i];
        }
    }
}
