using System.Numerics.Tensors;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000), as Keras's
/// <c>LSTM</c>: z = x_t·W + h_{t−1}·U + b split into four blocks of <c>units</c> in Keras's order i, f, c, o;
/// i = σ(z_i), f = σ(z_f), g = φ(z_c), o = σ(z_o); c_t = f·c_{t−1} + i·g; h_t = o·φ(c_t); h_0 = c_0 = 0.
/// </summary>
/// <remarks>
/// <para>Gate order. Keras: i, f, c (the candidate), o — columns of W (F, 4·units), U (units, 4·units) and b. PyTorch
/// <c>nn.LSTM</c>: i, f, g, o — the same order (g is Keras's c) in rows of weight_ih_l0 (4·units, F) and weight_hh_l0
/// (4·units, units): W = weight_ih_l0ᵀ, U = weight_hh_l0ᵀ, and PyTorch's two biases add up to Keras's one,
/// b = bias_ih_l0 + bias_hh_l0 (so a Keras bias maps to bias_ih = b, bias_hh = 0).</para>
/// <para>unit_forget_bias (Keras default true; Jozefowicz et al. 2015): the bias is filled as Keras 3's LSTMCell.build
/// does — the bias initializer over (units,) for i, ones for f, the bias initializer over (2·units,) for c and o — so
/// with the default zeros bias the forget gate starts at σ(1) ≈ 0.73. (Keras's docstring says the option also forces bias_initializer="zeros"; its code does not, and neither does this.) PyTorch has no such option: its biases start at
/// U(±1/√units) like its weights. Streams: kernel 0, recurrent kernel 1, bias i 2, bias c and o 3.</para>
/// </remarks>
public sealed class Lstm : RecurrentLayer
{
    private float[] _preActivations = [];
    private float[] _gates = [];
    private float[] _cells = [];
    private float[] _cellActivations = [];
    private float[] _states = [];
    private float[] _gradients = [];
    private float[] _stateGradient = [];
    private float[] _fromNextStep = [];
    private float[] _cellGradient = [];
    private float[] _scratch = [];

    /// <summary>Creates the layer (Keras defaults).</summary>
    /// <param name="units">State width, ≥ 1.</param>
    /// <param name="returnSequences">Output every step's state ([T, units]) instead of the last ([units]).</param>
    /// <param name="activation">φ for the candidate and the cell output, elementwise (default tanh).</param>
    /// <param name="recurrentActivation">σ for the gates i, f, o, elementwise (default sigmoid).</param>
    /// <param name="kernelInitializer">W's initializer (default glorot_uniform, fans (F, 4·units)).</param>
    /// <param name="recurrentInitializer">U's initializer (default orthogonal over (units, 4·units)).</param>
    /// <param name="biasInitializer">b's initializer (default zeros).</param>
    /// <param name="unitForgetBias">Start the forget gate's bias at 1 (Keras default true).</param>
    /// <param name="name">Name (default lstm_i, set by the model).</param>
    public Lstm(int units, bool returnSequences = false, Activation? activation = null, Activation? recurrentActivation = null,
        IInitializer? kernelInitializer = null, IInitializer? recurrentInitializer = null, IInitializer? biasInitializer = null,
        bool unitForgetBias = true, string? name = null)
        : base(units, returnSequences, activation, kernelInitializer, recurrentInitializer, biasInitializer, name, "LSTM")
    {
        RecurrentActivation = GateActivation(recurrentActivation, "LSTM");
        UnitForgetBias = unitForgetBias;
    }

    /// <inheritdoc />
    public override string KindName => "LSTM";

    /// <inheritdoc />
    public override int GateCount => 4;

    /// <summary>σ, the gates' activation (default sigmoid).</summary>
    public Activation RecurrentActivation { get; }

    /// <summary>Whether the forget gate's bias starts at 1.</summary>
    public bool UnitForgetBias { get; }

    private protected override float[] InputSideGradient => _gradients;

    private protected override void FillBias(Span<float> bias, Rng rng)
    {
        if (!UnitForgetBias)
        {
            base.FillBias(bias, rng);
            return;
        }
        int h = Units;
        BiasInitializer.Fill(bias[..h], [h], new Fans(h, h, Features), rng.Fork(2));
        bias.Slice(h, h).Fill(1f);
        BiasInitializer.Fill(bias[(2 * h)..], [2 * h], new Fans(2 * h, 2 * h, Features), rng.Fork(3));
    }

    private protected override void AllocateSteps(int rows)
    {
        int steps = Timesteps * rows, h = Units;
        _preActivations = new float[steps * 4 * h];
        _gates = new float[steps * 4 * h];
        _gradients = new float[steps * 4 * h];
        _cells = new float[(Timesteps + 1) * rows * h];
        _states = new float[(Timesteps + 1) * rows * h];
        _cellActivations = new float[steps * h];
        _stateGradient = new float[rows * h];
        _fromNextStep = new float[rows * h];
        _cellGradient = new float[rows * h];
        _scratch = new float[h];
    }

    private protected override void ForwardSteps(int rows, int threads)
    {
        int h = Units, gates = 4 * h, block = rows * h;
        ProjectInputs(_preActivations, BiasArray, rows, threads);
        _states.AsSpan(0, block).Clear();
        _cells.AsSpan(0, block).Clear();
        for (int s = 0; s < Timesteps; s++)
        {
            Span<float> zBlock = _preActivations.AsSpan(s * rows * gates, rows * gates);
            if (s > 0)
            {
                Gemm.Multiply(_states.AsSpan(s * block, block), false, RecurrentArray, false, zBlock, rows, gates, h, accumulate: true, threads);
            }
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                ReadOnlySpan<float> z = _preActivations.AsSpan(row, gates);
                Span<float> a = _gates.AsSpan(row, gates);
                RecurrentActivation.Forward<float>(z[..(2 * h)], a[..(2 * h)], 2 * h);
                Activation.Forward<float>(z.Slice(2 * h, h), a.Slice(2 * h, h), h);
                RecurrentActivation.Forward<float>(z[(3 * h)..], a[(3 * h)..], h);
                ReadOnlySpan<float> i = a[..h], f = a.Slice(h, h), g = a.Slice(2 * h, h);
                ReadOnlySpan<float> cPrevious = _cells.AsSpan((s * rows + b) * h, h);
                Span<float> c = _cells.AsSpan(((s + 1) * rows + b) * h, h);
                TensorPrimitives.Multiply(f, cPrevious, c);
                TensorPrimitives.MultiplyAdd(i, g, c, c);
            }
            Span<float> cellBlock = _cells.AsSpan((s + 1) * block, block);
            Span<float> phiC = _cellActivations.AsSpan(s * block, block);
            Activation.Forward<float>(cellBlock, phiC, h);
            for (int b = 0; b < rows; b++)
            {
                ReadOnlySpan<float> o = _gates.AsSpan((s * rows + b) * gates + 3 * h, h);
                TensorPrimitives.Multiply(o, phiC.Slice(b * h, h), _states.AsSpan(((s + 1) * rows + b) * h, h));
            }
        }
        WriteOutput(_states, rows);
    }

    private protected override void BackwardSteps(int rows, int threads)
    {
        int h = Units, gates = 4 * h, block = rows * h;
        _cellGradient.AsSpan(0, block).Clear();
        Span<float> dPhiC = _scratch;
        for (int s = Timesteps - 1; s >= 0; s--)
        {
            StateGradient(s, rows, _fromNextStep, _stateGradient);
            for (int b = 0; b < rows; b++)
            {
                int row = (s * rows + b) * gates;
                ReadOnlySpan<float> z = _preActivations.AsSpan(row, gates);
                ReadOnlySpan<float> a = _gates.AsSpan(row, gates);
                Span<float> dz = _gradients.AsSpan(row, gates);
                ReadOnlySpan<float> dh = _stateGradient.AsSpan(b * h, h);
                ReadOnlySpan<float> c = _cells.AsSpan(((s + 1) * rows + b) * h, h);
                ReadOnlySpan<float> cPrevious = _cells.AsSpan((s * rows + b) * h, h);
                ReadOnlySpan<float> phiC = _cellActivations.AsSpan((s * rows + b) * h, h);
                Span<float> dc = _cellGradient.AsSpan(b * h, h);
                // h = o·φ(c): ∂o = dh·φ(c), ∂c = φ′(c)·dh·o plus what c_{t+1} = f_{t+1}·c_t + … sent back.
                TensorPrimitives.Multiply(dh, phiC, dz[(3 * h)..]);
                TensorPrimitives.Multiply(dh, a[(3 * h)..], dPhiC);
                Activation.Backward<float>(c, phiC, dPhiC, dPhiC, h);
                TensorPrimitives.Add(dc, dPhiC, dPhiC);
                // c = f·c_{t−1} + i·g: ∂i = dc·g, ∂f = dc·c_{t−1}, ∂g = dc·i, and dc·f goes on to c_{t−1}.
                TensorPrimitives.Multiply(dPhiC, a.Slice(2 * h, h), dz[..h]);
                TensorPrimitives.Multiply(dPhiC, cPrevious, dz.Slice(h, h));
                TensorPrimitives.Multiply(dPhiC, a[..h], dz.Slice(2 * h, h));
                TensorPrimitives.Multiply(dPhiC, a.Slice(h, h), dc);
                RecurrentActivation.Backward<float>(z[..(2 * h)], a[..(2 * h)], dz[..(2 * h)], dz[..(2 * h)], 2 * h);
                Activation.Backward<float>(z.Slice(2 * h, h), a.Slice(2 * h, h), dz.Slice(2 * h, h), dz.Slice(2 * h, h), h);
                RecurrentActivation.Backward<float>(z[(3 * h)..], a[(3 * h)..], dz[(3 * h)..], dz[(3 * h)..], h);
            }
            if (s > 0)
            {
                Gemm.Multiply(_gradients.AsSpan(s * rows * gates, rows * gates), false, RecurrentArray, true, _fromNextStep, rows, h, gates, accumulate: false, threads);
            }
        }
        // dU = Σ_t h_{t−1}ᵀ·dz_t over all T·B rows at once.
        Gemm.Multiply(_states, true, _gradients, false, RecurrentGradientArray, h, gates, Timesteps * rows, accumulate: false, threads);
    }
}
