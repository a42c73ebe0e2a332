namespace InitLab.Optimizers;

/// <summary>
/// Gradient descent, Keras 3 <c>SGD</c>. Batch, stochastic and mini-batch gradient descent are batch-size choices of
/// the training loop. μ = 0: w ← w − lr·g. Momentum: v ← μ·v − lr·g; w ← w + v. Nesterov: v ← μ·v − lr·g;
/// w ← w + μ·v − lr·g. Defaults lr <see cref="DefaultLearningRate"/>, μ 0.
/// </summary>
/// <remarks>PyTorch's <c>SGD(momentum=μ, dampening=0)</c> keeps b ← μ·b + g and steps w ← w − lr·b: the same
/// trajectory while lr is constant (v = −lr·b). Its Nesterov step w ← w − lr·(g + μ·b) is the same as Keras's too.</remarks>
public sealed class Sgd : Optimizer
{
    private float[][] _velocity = [];

    /// <summary>The learning rate when none is given, Keras 3's <c>SGD</c> default. Written only here: the
    /// constructor, <see cref="OptimizerRegistry"/>, the range check's message and <c>initlab train --help</c> read it.</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0 (default <see cref="DefaultLearningRate"/>).</param>
    /// <param name="momentum">μ in [0, 1) (Keras default 0; Keras also accepts 1, which never forgets a gradient).</param>
    /// <param name="nesterov">Nesterov momentum (ignored when μ = 0, as in Keras).</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0 on kernels (see <see cref="Optimizer.WeightDecay"/>).</param>
    /// <param name="l2">Coupled L2 coefficient λ ≥ 0 on kernels (see <see cref="Optimizer.L2"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the valid range.</exception>
    public Sgd(double learningRate = DefaultLearningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double l2 = 0)
        : base(learningRate, weightDecay, l2, kerasDefaultLearningRate: DefaultLearningRate)
    {
        Momentum = OptimizerGuard.DecayRate(momentum, nameof(momentum), nameof(Sgd), 0);
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used (when μ &gt; 0).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override string Name => Momentum == 0 ? "sgd" : Nesterov ? "nesterov" : "momentum";

    /// <inheritdoc />
    private protected override bool AppliesShrink => true;

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters) =>
        _velocity = Momentum > 0 ? [.. parameters.Select(p => new float[p.Value.Length])] : [];

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient) => UpdateRange(index, 0, value, gradient);

    /// <inheritdoc />
    private protected override void UpdateRange(int index, int start, Span<float> value, ReadOnlySpan<float> gradient)
    {
        float lr = (float)ParameterLearningRate;
        if (Momentum == 0)
        {
            // (−lr·g) + w, rounded per operation like the Keras formula. Not TensorPrimitives.MultiplyAdd (same bits):
            // above 256 KiB it stores non-temporally, which sent the weights just updated out of the caches, and the
            // next forward pass read them back from memory (W2 on 1 thread: 4–5 % slower, Zen 4).
            UpdateKernels.Sgd(value, gradient, lr, CurrentShrink);
        }
        else if (Nesterov)
        {
            UpdateKernels.Nesterov(value, gradient, _velocity[index].AsSpan(start, value.Length), lr, (float)Momentum, CurrentShrink);
        }
        else
        {
            UpdateKernels.Momentum(value, gradient, _velocity[index].AsSpan(start, value.Length), lr, (float)Momentum, CurrentShrink);
        }
    }
}
