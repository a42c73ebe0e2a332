using System.Globalization;

namespace InitLab.Optimizers;

/// <summary>A trainable tensor and its gradient, as the optimizer sees it.</summary>
/// <param name="Name">e.g. "dense_0/kernel".</param>
/// <param name="Value">The values, updated in place.</param>
/// <param name="Gradient">The gradient of the last backward pass.</param>
/// <param name="IsBias">Whether weight decay skips it.</param>
public sealed record Parameter(string Name, float[] Value, float[] Gradient, bool IsBias);

/// <summary>
/// Updates parameters from their gradients. Keras 3 semantics and default hyper-parameters. Optional decoupled-from-
/// nothing L2 weight decay adds λ·w to each kernel gradient before the update (biases are not decayed).
/// </summary>
public abstract class Optimizer
{
    private IReadOnlyList<Parameter>? _parameters;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0.</param>
    /// <param name="weightDecay">L2 coefficient λ, finite and ≥ 0.</param>
    protected Optimizer(double learningRate, double weightDecay)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                string.Create(CultureInfo.InvariantCulture, $"learning rate must be finite and > 0, got {learningRate}."));
        }
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay,
                string.Create(CultureInfo.InvariantCulture, $"weight decay must be finite and >= 0, got {weightDecay}."));
        }
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>Registry name.</summary>
    public abstract string Name { get; }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <summary>The L2 coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>Number of updates applied.</summary>
    public long Iterations { get; private set; }

    /// <summary>Applies one update to every parameter. State (velocities, moments) is allocated on the first call only.</summary>
    /// <param name="parameters">The parameters, in the same order on every call.</param>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!ReferenceEquals(parameters, _parameters))
        {
            _parameters = parameters;
            CreateState(parameters);
        }
        Iterations++;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i];
            if (WeightDecay > 0 && !p.IsBias)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(p.Value, (float)WeightDecay, p.Gradient, p.Gradient);
            }
            Update(i, p.Value, p.Gradient);
        }
    }

    /// <summary>Allocates per-parameter state.</summary>
    /// <param name="parameters">The parameters.</param>
    protected abstract void CreateState(IReadOnlyList<Parameter> parameters);

    /// <summary>Updates parameter <paramref name="index"/>.</summary>
    /// <param name="index">Its position.</param>
    /// <param name="value">Values to update.</param>
    /// <param name="gradient">Its gradient.</param>
    protected abstract void Update(int index, Span<float> value, ReadOnlySpan<float> gradient);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(lr={LearningRate})");
}
