namespace InitLab.Optimizers;

/// <summary>Adam (Kingma &amp; Ba 2015), Keras 3 form: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// w ← w − α_t·m/(√v + ε) with α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), t = 1 on the first update.
/// Defaults lr <see cref="DefaultLearningRate"/>, β₁ 0.9, β₂ 0.999, ε 1e-7.</summary>
/// <remarks>This ε is the paper's "ε̂" (the formula before its section 2.1). PyTorch's <c>Adam</c> adds ε to the
/// bias-corrected root instead, w ← w − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), default ε 1e-8: the two
/// agree exactly only when ε_keras = ε_torch·√(1 − β₂ᵗ), so they drift apart slightly when √v is near ε.</remarks>
public sealed class Adam : Optimizer
{
    private float[][] _m = [];
    private float[][] _v = [];

    /// <summary>The learning rate when none is given, Keras 3's <c>Adam</c> default. Written only here: the
    /// constructor, <see cref="OptimizerRegistry"/>, the range check's message and <c>initlab train --help</c> read it.</summary>
    public const double DefaultLearningRate = 0.001;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0 (default <see cref="DefaultLearningRate"/>).</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1) (Keras default 0.9).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1) (Keras default 0.999).</param>
    /// <param name="epsilon">ε, finite and &gt; 0 (Keras default 1e-7).</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0 on kernels, AdamW (see <see cref="Optimizer.WeightDecay"/>).</param>
    /// <param name="l2">Coupled L2 coefficient λ ≥ 0 on kernels (see <see cref="Optimizer.L2"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the valid range.</exception>
    public Adam(double learningRate = DefaultLearningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0, double l2 = 0)
        : base(learningRate, weightDecay, l2, kerasDefaultLearningRate: DefaultLearningRate)
    {
        Beta1 = OptimizerGuard.DecayRate(beta1, nameof(beta1), nameof(Adam), 0.9);
        Beta2 = OptimizerGuard.DecayRate(beta2, nameof(beta2), nameof(Adam), 0.999);
        Epsilon = OptimizerGuard.Positive(epsilon, nameof(epsilon), nameof(Adam), 1e-7);
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to √v.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    private protected override bool AppliesShrink => true;

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters)
    {
        _m = [.. parameters.Select(p => new float[p.Value.Length])];
        _v = [.. parameters.Select(p => new float[p.Value.Length])];
    }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient) => UpdateRange(index, 0, value, gradient);

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    private protected override void UpdateRange(int index, int start, Span<float> value, ReadOnlySpan<float> gradient)
    {
        // Bias correction folded into the step size, in double (Keras does it in float32; they differ by < 1 ulp of α_t).
        double t = Iterations;
        float alpha = (float)(ParameterLearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
        UpdateKernels.Adam(value, gradient, _m[index].AsSpan(start, value.Length), _v[index].AsSpan(start, value.Length), alpha, (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)Epsilon, CurrentShrink);
    }
}
