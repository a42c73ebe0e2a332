using System.Globalization;
using System.Numerics.Tensors;

namespace InitLab.Optimizers;

/// <summary>A trainable tensor and its gradient, as the optimizer sees it.</summary>
/// <param name="Name">e.g. "dense_0/kernel".</param>
/// <param name="Value">The values, updated in place.</param>
/// <param name="Gradient">The gradient of the last backward pass; the optimizer only reads it.</param>
/// <param name="IsBias">Whether weight decay and L2 skip it.</param>
public sealed record Parameter(string Name, float[] Value, float[] Gradient, bool IsBias)
{
    private double _learningRateScale = 1;

    /// <summary>
    /// This parameter's learning rate as a multiple of the optimizer's (PyTorch's per-parameter-group <c>lr</c>): μP and
    /// NTK give each layer its own rate as the width grows (<c>Parametrizations.ApplyLearningRates</c>, docs/residual.md).
    /// 1, the default, gives the same bits as an optimizer without multipliers. Only the loss gradient's step is scaled:
    /// the per-step weight-decay shrink stays 1 − lr·λ and the L2 coefficient becomes λ/s, so the regularisation pulls as
    /// hard as without the multiplier (microsoft/mup's default, <c>decoupled_wd=False</c>, which divides a group's
    /// <c>weight_decay</c> by the factor it multiplies its <c>lr</c> by).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and &gt; 0.</exception>
    public double LearningRateScale
    {
        get => _learningRateScale;
        set => _learningRateScale = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRateScale), value, string.Create(CultureInfo.InvariantCulture,
                $"Parameter '{Name}': LearningRateScale must be finite and > 0, got {value} (1 is the optimizer's own learning rate)."));
    }
}

/// <summary>
/// Updates parameters from their gradients, with Keras 3's update formulas and default hyper-parameters
/// (docs/optimizers.md lists every formula and where PyTorch differs). Two optional, independent ways to shrink
/// kernels (biases are never shrunk):
/// <list type="bullet">
/// <item><see cref="WeightDecay"/> λ, decoupled (Keras 3 <c>weight_decay</c>, PyTorch <c>AdamW</c>): w ← w − lr·λ·w,
/// then the optimizer's own update with the unchanged gradient.</item>
/// <item><see cref="L2"/> λ, coupled (PyTorch <c>SGD</c>/<c>Adam</c> <c>weight_decay</c>): the update sees g + λ·w. The
/// layer's gradient buffer is never modified, so diagnostics read the true gradient of the loss.</item>
/// </list>
/// For plain SGD the two coincide (up to float rounding); for adaptive optimizers they differ, since the L2 term is
/// divided by the same √v as the gradient.
/// </summary>
public abstract partial class Optimizer
{
    private IReadOnlyList<Parameter>? _parameters;
    private float[] _coupledGradient = [];

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size, finite and &gt; 0.</param>
    /// <param name="weightDecay">Decoupled weight decay λ (w ← w − lr·λ·w on kernels), finite and ≥ 0; 0 is off.</param>
    /// <param name="l2">Coupled L2 coefficient λ (the update sees g + λ·w on kernels), finite and ≥ 0; 0 is off.</param>
    /// <param name="kerasDefaultLearningRate">Quoted in the error message.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the valid range.</exception>
    protected Optimizer(double learningRate, double weightDecay, double l2, double kerasDefaultLearningRate)
    {
        string owner = GetType().Name;
        LearningRate = OptimizerGuard.Positive(learningRate, nameof(learningRate), owner, kerasDefaultLearningRate);
        ParameterLearningRate = LearningRate;
        WeightDecay = OptimizerGuard.NonNegative(weightDecay, nameof(weightDecay), owner, 0);
        L2 = OptimizerGuard.NonNegative(l2, nameof(l2), owner, 0);
    }

    /// <summary>Registry name.</summary>
    public abstract string Name { get; }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <summary>The learning rate of the parameter being updated: <see cref="LearningRate"/> × its
    /// <see cref="Parameter.LearningRateScale"/> (exactly <see cref="LearningRate"/> when the scale is 1). Set before each
    /// parameter's <see cref="Update"/>; an update rule uses it in place of <see cref="LearningRate"/>.</summary>
    protected double ParameterLearningRate { get; private set; }

    /// <summary>Decoupled weight decay λ on kernels (Keras 3 <c>weight_decay</c>, PyTorch <c>AdamW</c>): w ← w − lr·λ·w before each update.</summary>
    public double WeightDecay { get; }

    /// <summary>Coupled L2 coefficient λ on kernels: the update sees g + λ·w (the gradient of the loss + λ/2·‖w‖²).</summary>
    public double L2 { get; }

    /// <summary>Whether a kernel's L2 term and weight decay are folded into the update's own pass (built-in optimizers;
    /// same bits as the separate passes, tests). Off runs the separate passes: the reference, and the A/B baseline.</summary>
    internal bool FuseShrink { get; set; } = true;

    /// <summary>Whether <see cref="Update"/> applies <see cref="CurrentShrink"/> itself (true for the built-in optimizers).</summary>
    private protected virtual bool AppliesShrink => false;

    /// <summary>While <see cref="Update"/> runs with <see cref="AppliesShrink"/>: the L2 term and weight decay it must
    /// fold into its pass over this parameter (none for biases).</summary>
    private protected Shrink CurrentShrink { get; private set; }

    /// <summary>Number of updates applied (Keras's <c>iterations</c>); the update being applied is number t = Iterations.</summary>
    public long Iterations { get; private set; }

    /// <summary>Applies one update to every parameter. State (velocities, moments) is allocated when the list changes
    /// (on the first call); later calls allocate nothing.</summary>
    /// <param name="parameters">The parameters, the same list on every call.</param>
    /// <exception cref="ArgumentException">A parameter's gradient has a different length than its values.</exception>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        BeginStep(parameters);
        for (int i = 0; i < parameters.Count; i++)
        {
            StepParameter(i);
        }
    }

    /// <summary>Starts a step: state for a new parameter list, and <see cref="Iterations"/> + 1. Every parameter must then
    /// get one <see cref="StepParameter"/>.</summary>
    /// <param name="parameters">The parameters, the same list on every call.</param>
    internal void BeginStep(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!ReferenceEquals(parameters, _parameters))
        {
            int largest = 0;
            foreach (Parameter p in parameters)
            {
                largest = Math.Max(largest, p.Value.Length);
            }
            _parameters = parameters;
            _coupledGradient = L2 > 0 ? new float[largest] : [];
            CreateState(parameters);
        }
        Iterations++;
    }

    /// <summary>This step's update of parameter <paramref name="i"/> of the list given to <see cref="BeginStep"/>.</summary>
    /// <param name="i">The parameter's position.</param>
    /// <exception cref="ArgumentException">Its gradient has a different length than its values.</exception>
    internal void StepParameter(int i)
    {
        Parameter p = _parameters![i];
        double scale = p.LearningRateScale;
        ParameterLearningRate = LearningRate * scale;
        // λ/s: the L2 term's step lr·s·(λ/s)·w is the one without the multiplier (Parameter.LearningRateScale); s = 1 → λ.
        float l2 = (float)(L2 / scale);
        // Keras computes w − w·λ·lr; one factor rounded once differs from it by at most an ulp. The optimizer's own lr,
        // not the parameter's: the shrink per step does not change with the multiplier (Parameter.LearningRateScale).
        float decayFactor = (float)(1 - LearningRate * WeightDecay);
        if (p.Gradient.Length != p.Value.Length)
        {
            ThrowLengthMismatch(p);
        }
        ReadOnlySpan<float> gradient = p.Gradient;
        if (!p.IsBias && (l2 > 0 || WeightDecay > 0) && FuseShrink && AppliesShrink)
        {
            // One pass: the rule adds the L2 term and shrinks w per element, in the order of the separate passes below.
            CurrentShrink = new Shrink(l2 > 0, l2, WeightDecay > 0, decayFactor);
            UpdateWhole(i, p);
            CurrentShrink = default;
            return;
        }
        bool coupled = !p.IsBias && l2 > 0;
        if (coupled)
        {
            // Into a scratch buffer, never into p.Gradient: diagnostics must keep reading dLoss/dw.
            Span<float> withL2 = _coupledGradient.AsSpan(0, p.Value.Length);
            TensorPrimitives.MultiplyAdd(p.Value, l2, p.Gradient, withL2);
            gradient = withL2;
        }
        if (!p.IsBias && WeightDecay > 0)
        {
            // Decoupled: shrink first, then step with the gradient taken at the old w (Keras 3 order).
            TensorPrimitives.Multiply(p.Value, decayFactor, p.Value);
        }
        if (coupled)
        {
            Update(i, p.Value, gradient);
            return;
        }
        UpdateWhole(i, p);
    }

    /// <summary>Allocates per-parameter state.</summary>
    /// <param name="parameters">The parameters.</param>
    protected abstract void CreateState(IReadOnlyList<Parameter> parameters);

    /// <summary>Updates parameter <paramref name="index"/>.</summary>
    /// <param name="index">Its position.</param>
    /// <param name="value">Values to update.</param>
    /// <param name="gradient">Its gradient (with the L2 term added when <see cref="L2"/> &gt; 0), same length.</param>
    protected abstract void Update(int index, Span<float> value, ReadOnlySpan<float> gradient);

    /// <summary>Describes the optimizer with its learning rate and any weight decay.</summary>
    /// <returns>e.g. "adam(lr=0.001, weight_decay=0.004)".</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}(lr={LearningRate}{(WeightDecay > 0 ? $", weight_decay={WeightDecay}" : "")}{(L2 > 0 ? $", l2={L2}" : "")})");

    private static void ThrowLengthMismatch(Parameter p) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Optimizer: parameter '{p.Name}' has {p.Value.Length} values but {p.Gradient.Length} gradient entries."), nameof(p));
}
