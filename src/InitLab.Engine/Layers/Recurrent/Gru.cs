using System.Numerics.Tensors;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;

namespace InitLab.Layers;

/// <summary>
/// Gated recurrent unit (Cho et al. 2014), as Keras's <c>GRU</c>: blocks of <c>units</c> in Keras's order z (update),
/// r (reset), h (candidate); z = σ(x_t·W_z + b_z + h_{t−1}·U_z [+ b'_z]), r likewise, and
/// h_t = z·h_{t−1} + (1 − z)·ĥ with, for <see cref="ResetAfter"/> (Keras 3's default, PyTorch's formulation),
/// ĥ = φ(x_t·W_h + b_h + r·(h_{t−1}·U_h + b'_h)), else (the original, Keras 2's default before 2.3)
/// ĥ = φ(x_t·W_h + b_h + (r·h_{t−1})·U_h). h_0 = 0.
/// </summary>
/// <remarks>
/// <para>Bias. With reset_after the bias has Keras's shape (2, 3·units): row 0 the input bias b, row 1 the recurrent bias
/// b′ (inside the reset product for the candidate); without it, one bias of 3·units.</para>
/// <para>Gate order. Keras: z, r, h — columns of W (F, 3·units), U (units, 3·units) and each bias row. PyTorch
/// <c>nn.GRU</c> (always reset-after): r, z, n in rows of weight_ih_l0 (3·units, F) and weight_hh_l0 (3·units, units),
/// with h' = (1 − z)·n + z·h — the same update. So W_ih = [W_r; W_z; W_h]ᵀ (Keras's blocks 1, 0, 2 transposed), likewise
/// W_hh from U, bias_ih = (b_r, b_z, b_h) from row 0 and bias_hh = (b′_r, b′_z, b′_h) from row 1.</para>
/// </remarks>
public sealed class Gru : RecurrentLayer
{
    private float[] _preActivations = [];
    private float[] _gates = [];
    private float[] _states = [];
    private float[] _gradients = [];
    private float[] _stateGradient = [];
    private float[] _fromNextStep = [];

    // reset_after: h_{t−1}·U + b′ of every step, and its gradient.
    private float[] _recurrent = [];
    private float[] _recurrentGradients = [];

    // reset_before: U's z|r and h column blocks packed into their own matrices (the GEMM takes no leading dimension),
    // r·h_{t−1} of every step, and the gradients that go with them.
    private float[] _packedUpdateReset = [];
    private float[] _packedCandidate = [];
    private float[] _packedUpdateResetGradient = [];
    private float[] _packedCandidateGradient = [];
    private float[] _recurrentStep = [];
    private float[] _resetStates = [];
    private float[] _updateResetGradients = [];
    private float[] _candidateGradients = [];
    private float[] _resetStateGradient = [];

    /// <summary>Creates the layer (Keras 3 defaults).</summary>
    /// <param name="units">State width, ≥ 1.</param>
    /// <param name="returnSequences">Output every step's state ([T, units]) instead of the last ([units]).</param>
    /// <param name="activation">φ for the candidate, elementwise (default tanh).</param>
    /// <param name="recurrentActivation">σ for the gates z and r, elementwise (default sigmoid).</param>
    /// <param name="kernelInitializer">W's initializer (default glorot_uniform, fans (F, 3·units)).</param>
    /// <param name="recurrentInitializer">U's initializer (default orthogonal over (units, 3·units)).</param>
    /// <param name="biasInitializer">The bias's initializer (default zeros; told Keras's shape (2, 3·units) or (3·units)).</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product (Keras 3 default true, PyTorch's form).</param>
    /// <param name="name">Name (default gru_i, set by the model).</param>
    public Gru(int units, bool returnSequences = false, Activation? activation = null, Activation? recurrentActivation = null,
        IInitializer? kernelInitializer = null, IInitializer? recurrentInitializer = null, IInitializer? biasInitializer = null,
        bool resetAfter = true, string? name = null)
        : base(units, returnSequences, activation, kernelInitializer, recurrentInitializer, biasInitializer, name, "GRU")
    {
        RecurrentActivation = GateActivation(recurrentActivation, "GRU");
        ResetAfter = resetAfter;
    }

    /// <inheritdoc />
    public override string KindName => "GRU";

    /// <inheritdoc />
    public override int GateCount => 3;

    /// <summary>σ, the gates' activation (default sigmoid).</summary>
    public Activation RecurrentActivation { get; }

    /// <summary>Whether the reset gate multiplies h_{t−1}·U_h + b′_h (true) or h_{t−1} before the product (false).</summary>
    public bool ResetAfter { get; }

    private protected override int BiasLength => (ResetAfter ? 2 : 1) * 3 * Units;

    private protected override int[] BiasShape => ResetAfter ? [2, 3 * Units] : [3 * Units];

    private protected override float[] InputSideGradient => _gradients;

    private protected override void AllocateSteps(int rows)
    {
        int steps = Timesteps * rows, h = Units;
        _preActivations = new float[steps * 3 * h];
        _gates = new float[steps * 3 * h];
        _gradients = new float[steps * 3 * h];
        _states = new float[(Timesteps + 1) * rows * h];
        _stateGradient = new float[rows * h];
        _fromNextStep = new float[rows * h];
        if (ResetAfter)
        {
            _recurrent = new float[steps * 3 * h];
            _recurrentGradients = new float[steps * 3 * h];
            return;
        }
        _packedUpdateReset = new float[h * 2 * h];
        _packedCandidate = new float[h * h];
        _packedUpdateResetGradient = new float[h * 2 * h];
        _packedCandidateGradient = new float[h * h];
        _recurrentStep = new float[rows * 2 * h];
        _resetStates = new float[steps * h];
        _updateResetGradients = new float[steps * 2 * h];
        _candidateGradients = new float[steps * h];
        _resetStateGradient = new float[rows * h];
    }

    private protected override void ForwardSteps(int rows, int threads)
    {
        int h = Units, block = rows * h;
        ProjectInputs(_preActivations, BiasArray.AsSpan(0, 3 * h), rows, threads);
        _states.AsSpan(0, block).Clear();
        if (ResetAfter)
        {
            ForwardResetAfter(rows, threads);
        }
        else
        {
            ForwardResetBefore(rows, threads);
        }
        WriteOutput(_states, rows);
    }

    private void ForwardResetAfter(int rows, int threads)
    {
        int h = Units, gates = 3 * h, block = rows * h;
        ReadOnlySpan<float> recurrentBias = BiasArray.AsSpan(gates, gates);
        for (int s = 0; s < Timesteps; s++)
        {
            Span<float> recurrent = _recurrent.AsSpan(s * rows * gates, rows * gates);
            if (s > 0)
            {
                Gemm.Multiply(_states.AsSpan(s * block, block), false, RecurrentArray, false, recurrent, rows, gates, h, accumulate: false, threads);
            }
            else
            {
                recurrent.Clear();
            }
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                Span<float> z = _preActivations.AsSpan(row, gates);
                Span<float> a = _gates.AsSpan(row, gates);
                Span<float> rec = _recurrent.AsSpan(row, gates);
                TensorPrimitives.Add(rec, recurrentBias, rec);
                TensorPrimitives.Add(z[..(2 * h)], rec[..(2 * h)], z[..(2 * h)]);
                RecurrentActivation.Forward<float>(z[..(2 * h)], a[..(2 * h)], 2 * h);
                TensorPrimitives.MultiplyAdd(a.Slice(h, h), rec[(2 * h)..], z[(2 * h)..], z[(2 * h)..]);
                Activation.Forward<float>(z[(2 * h)..], a[(2 * h)..], h);
                Update(a, _states.AsSpan((s * rows + b) * h, h), _states.AsSpan(((s + 1) * rows + b) * h, h));
            }
        }
    }

    private void ForwardResetBefore(int rows, int threads)
    {
        int h = Units, gates = 3 * h, block = rows * h;
        for (int i = 0; i < h; i++)
        {
            RecurrentArray.AsSpan(i * gates, 2 * h).CopyTo(_packedUpdateReset.AsSpan(i * 2 * h, 2 * h));
            RecurrentArray.AsSpan(i * gates + 2 * h, h).CopyTo(_packedCandidate.AsSpan(i * h, h));
        }
        Span<float> candidate = _stateGradient.AsSpan(0, block); // free during the forward pass: holds r·h_{t−1}·U_h
        for (int s = 0; s < Timesteps; s++)
        {
            if (s > 0)
            {
                Gemm.Multiply(_states.AsSpan(s * block, block), false, _packedUpdateReset, false, _recurrentStep, rows, 2 * h, h, accumulate: false, threads);
            }
            else
            {
                _recurrentStep.AsSpan(0, rows * 2 * h).Clear();
            }
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                Span<float> z = _preActivations.AsSpan(row, gates);
                Span<float> a = _gates.AsSpan(row, gates);
                TensorPrimitives.Add(z[..(2 * h)], _recurrentStep.AsSpan(b * 2 * h, 2 * h), z[..(2 * h)]);
                RecurrentActivation.Forward<float>(z[..(2 * h)], a[..(2 * h)], 2 * h);
                TensorPrimitives.Multiply(a.Slice(h, h), _states.AsSpan((s * rows + b) * h, h), _resetStates.AsSpan((s * rows + b) * h, h));
            }
            if (s > 0)
            {
                Gemm.Multiply(_resetStates.AsSpan(s * block, block), false, _packedCandidate, false, candidate, rows, h, h, accumulate: false, threads);
            }
            else
            {
                candidate.Clear();
            }
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                Span<float> z = _preActivations.AsSpan(row + 2 * h, h);
                Span<float> a = _gates.AsSpan(row, gates);
                TensorPrimitives.Add(z, candidate.Slice(b * h, h), z);
                Activation.Forward<float>(z, a[(2 * h)..], h);
                Update(a, _states.AsSpan((s * rows + b) * h, h), _states.AsSpan(((s + 1) * rows + b) * h, h));
            }
        }
    }

    /// <summary>h = z·h_{t−1} + (1 − z)·ĥ, computed as ĥ + z·(h_{t−1} − ĥ).</summary>
    private void Update(ReadOnlySpan<float> a, ReadOnlySpan<float> previous, Span<float> state)
    {
        int h = Units;
        ReadOnlySpan<float> candidate = a[(2 * h)..];
        TensorPrimitives.Subtract(previous, candidate, state);
        TensorPrimitives.MultiplyAdd(a[..h], state, candidate, state);
    }

    /// <summary>For one row: ∂z-gate input (dh·(h_{t−1} − ĥ), before σ′) into dz[0, h), ∂ĥ's pre-activation (φ′·dh·(1 − z))
    /// into dz[2h, 3h), and the direct path dh·z into <paramref name="toPrevious"/>.</summary>
    private void UpdateBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> z, ReadOnlySpan<float> previous, ReadOnlySpan<float> dh,
        Span<float> dz, Span<float> toPrevious)
    {
        int h = Units;
        ReadOnlySpan<float> update = a[..h], candidate = a[(2 * h)..];
        Span<float> dCandidate = dz[(2 * h)..];
        TensorPrimitives.Multiply(dh, update, toPrevious);
        TensorPrimitives.Subtract(dh, toPrevious, dCandidate);
        Activation.Backward<float>(z[(2 * h)..], candidate, dCandidate, dCandidate, h);
        TensorPrimitives.Subtract(previous, candidate, dz[..h]);
        TensorPrimitives.Multiply(dz[..h], dh, dz[..h]);
    }

    private protected override void BackwardSteps(int rows, int threads)
    {
        if (ResetAfter)
        {
            BackwardResetAfter(rows, threads);
        }
        else
        {
            BackwardResetBefore(rows, threads);
        }
    }

    private void BackwardResetAfter(int rows, int threads)
    {
        int h = Units, gates = 3 * h;
        for (int s = Timesteps - 1; s >= 0; s--)
        {
            StateGradient(s, rows, _fromNextStep, _stateGradient);
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                ReadOnlySpan<float> z = _preActivations.AsSpan(row, gates);
                ReadOnlySpan<float> a = _gates.AsSpan(row, gates);
                ReadOnlySpan<float> rec = _recurrent.AsSpan(row, gates);
                Span<float> dz = _gradients.AsSpan(row, gates);
                Span<float> dRec = _recurrentGradients.AsSpan(row, gates);
                UpdateBackward(a, z, _states.AsSpan((s * rows + b) * h, h), _stateGradient.AsSpan(b * h, h), dz, _fromNextStep.AsSpan(b * h, h));
                // ĥ's pre-activation = … + r·rec_h: ∂r = ∂pre·rec_h, ∂rec_h = ∂pre·r.
                TensorPrimitives.Multiply(dz[(2 * h)..], rec[(2 * h)..], dz.Slice(h, h));
                TensorPrimitives.Multiply(dz[(2 * h)..], a.Slice(h, h), dRec[(2 * h)..]);
                RecurrentActivation.Backward<float>(z[..(2 * h)], a[..(2 * h)], dz[..(2 * h)], dz[..(2 * h)], 2 * h);
                dz[..(2 * h)].CopyTo(dRec);
            }
            if (s > 0)
            {
                Gemm.Multiply(_recurrentGradients.AsSpan(s * rows * gates, rows * gates), false, RecurrentArray, true, _fromNextStep, rows, h, gates, accumulate: true, threads);
            }
        }
        int steps = Timesteps * rows;
        Gemm.Multiply(_states, true, _recurrentGradients, false, RecurrentGradientArray, h, gates, steps, accumulate: false, threads);
        SumRows(_recurrentGradients, steps, gates, BiasGradientArray.AsSpan(gates, gates));
    }

    private void BackwardResetBefore(int rows, int threads)
    {
        int h = Units, gates = 3 * h, block = rows * h;
        for (int s = Timesteps - 1; s >= 0; s--)
        {
            StateGradient(s, rows, _fromNextStep, _stateGradient);
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                Span<float> dz = _gradients.AsSpan(row, gates);
                UpdateBackward(_gates.AsSpan(row, gates), _preActivations.AsSpan(row, gates), _states.AsSpan((s * rows + b) * h, h),
                    _stateGradient.AsSpan(b * h, h), dz, _fromNextStep.AsSpan(b * h, h));
                dz[(2 * h)..].CopyTo(_candidateGradients.AsSpan((s * rows + b) * h, h));
            }
            // ∂(r·h_{t−1}) = ∂pre_ĥ·U_hᵀ.
            Gemm.Multiply(_candidateGradients.AsSpan(s * block, block), false, _packedCandidate, true, _resetStateGradient, rows, h, h, accumulate: false, threads);
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                ReadOnlySpan<float> z = _preActivations.AsSpan(row, gates);
                ReadOnlySpan<float> a = _gates.AsSpan(row, gates);
                Span<float> dz = _gradients.AsSpan(row, gates);
                ReadOnlySpan<float> dReset = _resetStateGradient.AsSpan(b * h, h);
                TensorPrimitives.Multiply(dReset, _states.AsSpan((s * rows + b) * h, h), dz.Slice(h, h));
                Span<float> toPrevious = _fromNextStep.AsSpan(b * h, h);
                TensorPrimitives.MultiplyAdd(dReset, a.Slice(h, h), toPrevious, toPrevious);
                RecurrentActivation.Backward<float>(z[..(2 * h)], a[..(2 * h)], dz[..(2 * h)], dz[..(2 * h)], 2 * h);
                dz[..(2 * h)].CopyTo(_updateResetGradients.AsSpan((s * rows + b) * 2 * h, 2 * h));
            }
            if (s > 0)
            {
                Gemm.Multiply(_updateResetGradients.AsSpan(s * rows * 2 * h, rows * 2 * h), false, _packedUpdateReset, true, _fromNextStep, rows, h, 2 * h, accumulate: true, threads);
            }
        }
        int steps = Timesteps * rows;
        Gemm.Multiply(_states, true, _updateResetGradients, false, _packedUpdateResetGradient, h, 2 * h, steps, accumulate: false, threads);
        Gemm.Multiply(_resetStates, true, _candidateGradients, false, _packedCandidateGradient, h, h, steps, accumulate: false, threads);
        Span<float> dU = RecurrentGradientArray;
        for (int i = 0; i < h; i++)
        {
            _packedUpdateResetGradient.AsSpan(i * 2 * h, 2 * h).CopyTo(dU.Slice(i * gates, 2 * h));
            _packedCandidateGradient.AsSpan(i * h, h).CopyTo(dU.Slice(i * gates + 2 * h, h));
        }
    }
}
