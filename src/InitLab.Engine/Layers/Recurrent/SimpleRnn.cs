using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;

namespace InitLab.Layers;

/// <summary>
/// The Elman recurrent layer, h_t = φ(x_t·W + h_{t−1}·U + b), h_0 = 0 (Keras <c>SimpleRNN</c>; PyTorch <c>nn.RNN</c>
/// with W = weight_ih_l0ᵀ, U = weight_hh_l0ᵀ, b = bias_ih_l0 + bias_hh_l0). Keras defaults: tanh, glorot_uniform kernel
/// (fans (F, units)), orthogonal recurrent kernel, zero bias. With φ = relu and an identity recurrent kernel it is
/// Le et al.'s (2015) IRNN.
/// </summary>
public sealed class SimpleRnn : RecurrentLayer
{
    private float[] _preActivations = [];
    private float[] _states = [];
    private float[] _gradients = [];
    private float[] _stateGradient = [];
    private float[] _fromNextStep = [];

    /// <summary>Creates the layer (Keras defaults).</summary>
    /// <param name="units">State width, ≥ 1.</param>
    /// <param name="returnSequences">Output every step's state ([T, units]) instead of the last ([units]).</param>
    /// <param name="activation">φ, elementwise (default tanh).</param>
    /// <param name="kernelInitializer">W's initializer (default glorot_uniform).</param>
    /// <param name="recurrentInitializer">U's initializer (default orthogonal).</param>
    /// <param name="biasInitializer">b's initializer (default zeros).</param>
    /// <param name="name">Name (default simple_rnn_i, set by the model).</param>
    public SimpleRnn(int units, bool returnSequences = false, Activation? activation = null, IInitializer? kernelInitializer = null,
        IInitializer? recurrentInitializer = null, IInitializer? biasInitializer = null, string? name = null)
        : base(units, returnSequences, activation, kernelInitializer, recurrentInitializer, biasInitializer, name, "SimpleRNN")
    {
    }

    /// <inheritdoc />
    public override string KindName => "SimpleRNN";

    /// <inheritdoc />
    public override int GateCount => 1;

    private protected override float[] InputSideGradient => _gradients;

    private protected override void AllocateSteps(int rows)
    {
        int steps = Timesteps * rows;
        _preActivations = new float[steps * Units];
        _states = new float[(Timesteps + 1) * rows * Units];
        _gradients = new float[steps * Units];
        _stateGradient = new float[rows * Units];
        _fromNextStep = new float[rows * Units];
    }

    private protected override void ForwardSteps(int rows, int threads)
    {
        int h = Units, block = rows * h;
        ProjectInputs(_preActivations, BiasArray, rows, threads);
        _states.AsSpan(0, block).Clear();
        for (int s = 0; s < Timesteps; s++)
        {
            Span<float> z = _preActivations.AsSpan(s * block, block);
            if (s > 0)
            {
                Gemm.Multiply(_states.AsSpan(s * block, block), false, RecurrentArray, false, z, rows, h, h, accumulate: true, threads);
            }
            Activation.Forward<float>(z, _states.AsSpan((s + 1) * block, block), h);
        }
        WriteOutput(_states, rows);
    }

    private protected override void BackwardSteps(int rows, int threads)
    {
        int h = Units, block = rows * h;
        for (int s = Timesteps - 1; s >= 0; s--)
        {
            StateGradient(s, rows, _fromNextStep, _stateGradient);
            Span<float> dz = _gradients.AsSpan(s * block, block);
            Activation.Backward<float>(_preActivations.AsSpan(s * block, block), _states.AsSpan((s + 1) * block, block), _stateGradient, dz, h);
            if (s > 0)
            {
                Gemm.Multiply(dz, false, RecurrentArray, true, _fromNextStep, rows, h, h, accumulate: false, threads);
            }
        }
        // dU = Σ_t h_{t−1}ᵀ·dz_t: the states h_0 … h_{T−1} are the first T blocks, in the same order as dz.
        Gemm.Multiply(_states, true, _gradients, false, RecurrentGradientArray, h, h, Timesteps * rows, accumulate: false, threads);
    }
}
