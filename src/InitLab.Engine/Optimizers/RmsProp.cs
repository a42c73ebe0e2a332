namespace InitLab.Optimizers;

/// <summary>RMSprop (Hinton 2012), Keras 3 form (not centered): v ← ρ·v + (1 − ρ)·g², v starting at 0;
/// w ← w − lr·g/√(v + ε). With momentum μ &gt; 0: m ← μ·m + lr·g/√(v + ε); w ← w − m.
/// Defaults lr <see cref="DefaultLearningRate"/>, ρ 0.9, μ 0, ε 1e-7.</summary>
/// <remarks>PyTorch's <c>RMSprop</c> calls ρ <c>alpha</c> (default 0.99), adds ε outside the root,
/// w ← w − lr·g/(√v + ε) (default ε 1e-8, lr 0.01), and with momentum keeps b ← μ·b + g/(√v + ε), w ← w − lr·b.</remarks>
public sealed class RmsProp : Optimizer
{
    private float[][] _meanSquare = [];
    private float[][] _velocity = [];

    /// <summary>The learning rate when none is given, Keras 3's <c>RMSprop</c> default. Written only here: the
    /// constructor, <see cref="OptimizerRegistry"/>, the range check's message and <c>initlab train --help</c> read it.</summary>
    public const double DefaultLearningRate = 0.001;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0 (default <see cref="DefaultLearningRate"/>).</param>
    /// <param name="rho">ρ, the decay of the running mean of g², in [0, 1) (Keras default 0.9).</param>
    /// <param name="momentum">μ in [0, 1) (Keras default 0).</param>
    /// <param name="epsilon">ε, finite and &gt; 0 (Keras default 1e-7).</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0 on kernels (see <see cref="Optimizer.WeightDecay"/>).</param>
    /// <param name="l2">Coupled L2 coefficient λ ≥ 0 on kernels (see <see cref="Optimizer.L2"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the valid range.</exception>
    public RmsProp(double learningRate = DefaultLearningRate, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, double weightDecay = 0, double l2 = 0)
        : base(learningRate, weightDecay, l2, kerasDefaultLearningRate: DefaultLearningRate)
    {
        Rho = OptimizerGuard.DecayRate(rho, nameof(rho), nameof(RmsProp), 0.9);
        Momentum = OptimizerGuard.DecayRate(momentum, nameof(momentum), nameof(RmsProp), 0);
        Epsilon = OptimizerGuard.Positive(epsilon, nameof(epsilon), nameof(RmsProp), 1e-7);
    }

    /// <summary>ρ.</summary>
    public double Rho { get; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>ε, added to v under the root.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    private protected override bool AppliesShrink => true;

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters)
    {
        _meanSquare = [.. parameters.Select(p => new float[p.Value.Length])];
        _velocity = Momentum > 0 ? [.. parameters.Select(p => new float[p.Value.Length])] : [];
    }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient) => UpdateRange(index, 0, value, gradient);

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    private protected override void UpdateRange(int index, int start, Span<float> value, ReadOnlySpan<float> gradient)
    {
        float lr = (float)ParameterLearningRate, rho = (float)Rho, oneMinusRho = (float)(1 - Rho), eps = (float)Epsilon;
        if (Momentum > 0)
        {
            UpdateKernels.RmsPropMomentum(value, gradient, _meanSquare[index].AsSpan(start, value.Length), _velocity[index].AsSpan(start, value.Length), lr, rho, oneMinusRho, eps, (float)Momentum, CurrentShrink);
        }
        else
        {
            UpdateKernels.RmsProp(value, gradient, _meanSquare[index].AsSpan(start, value.Length), lr, rho, oneMinusRho, eps, CurrentShrink);
        }
    }
}
