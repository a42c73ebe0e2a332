namespace InitLab.Optimizers;

/// <summary>Adagrad (Duchi et al. 2011), Keras 3 form: a ← a + g²; w ← w − lr·g/√(a + ε), a starting at the initial
/// accumulator. Defaults lr <see cref="DefaultLearningRate"/>, initial accumulator 0.1, ε 1e-7.</summary>
/// <remarks>PyTorch's <c>Adagrad</c> starts a at 0 and adds ε outside the root, w ← w − lr·g/(√a + ε), with defaults
/// lr 0.01 and ε 1e-10; <c>Adagrad(initial_accumulator_value=0.1, eps=…)</c> gets close but not identical.</remarks>
public sealed class Adagrad : Optimizer
{
    private float[][] _accumulator = [];

    /// <summary>The learning rate when none is given, Keras 3's <c>Adagrad</c> default. Written only here: the
    /// constructor, <see cref="OptimizerRegistry"/>, the range check's message and <c>initlab train --help</c> read it.</summary>
    public const double DefaultLearningRate = 0.001;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0 (default <see cref="DefaultLearningRate"/>).</param>
    /// <param name="initialAccumulator">Starting value of a, finite and ≥ 0 (Keras default 0.1).</param>
    /// <param name="epsilon">ε, finite and &gt; 0 (Keras default 1e-7).</param>
    /// <param name="weightDecay">Decoupled weight decay λ ≥ 0 on kernels (see <see cref="Optimizer.WeightDecay"/>).</param>
    /// <param name="l2">Coupled L2 coefficient λ ≥ 0 on kernels (see <see cref="Optimizer.L2"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the valid range.</exception>
    public Adagrad(double learningRate = DefaultLearningRate, double initialAccumulator = 0.1, double epsilon = 1e-7, double weightDecay = 0, double l2 = 0)
        : base(learningRate, weightDecay, l2, kerasDefaultLearningRate: DefaultLearningRate)
    {
        InitialAccumulator = OptimizerGuard.NonNegative(initialAccumulator, nameof(initialAccumulator), nameof(Adagrad), 0.1);
        Epsilon = OptimizerGuard.Positive(epsilon, nameof(epsilon), nameof(Adagrad), 1e-7);
    }

    /// <summary>The starting value of every accumulator element.</summary>
    public double InitialAccumulator { get; }

    /// <summary>ε, added to the accumulator under the root.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    private protected override bool AppliesShrink => true;

    /// <inheritdoc />
    protected override void CreateState(IReadOnlyList<Parameter> parameters) =>
        _accumulator = [.. parameters.Select(p => Enumerable.Repeat((float)InitialAccumulator, p.Value.Length).ToArray())];

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient) => UpdateRange(index, 0, value, gradient);

    /// <inheritdoc />
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc />
    private protected override void UpdateRange(int index, int start, Span<float> value, ReadOnlySpan<float> gradient) =>
        UpdateKernels.Adagrad(value, gradient, _accumulator[index].AsSpan(start, value.Length), (float)ParameterLearningRate, (float)Epsilon, CurrentShrink);
}
