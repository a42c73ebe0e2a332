using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// What <see cref="SimpleRnn"/>, <see cref="Lstm"/> and <see cref="Gru"/> share (Keras's <c>RNN</c> base): rows of shape
/// [T, F] (timesteps × features, row-major), a kernel W (F, G·units) and a recurrent kernel U (units, G·units) in Keras
/// layout with the G gates side by side in Keras's order, the input projections x_t·W of all T steps as one GEMM, the
/// recurrent product h_{t−1}·U of each step through the GEMM, and back-propagation through time over the whole sequence.
/// The initial state is zero. Output: h_1 … h_T as [T, units] (<see cref="ReturnSequences"/>) or h_T as [units].
/// </summary>
/// <remarks>
/// <para>Inside, everything is time-major — step t's rows are the contiguous block [t·B, (t+1)·B) — so that h_{t−1}, the
/// gate pre-activations and their gradients of one step are plain B-row matrices for the GEMM; the input is transposed
/// into that order once per forward pass and ∂/∂x back once per backward pass.</para>
/// <para>Fans (Keras's convention, implemented here): each initializer sees the whole matrix, kernel (F, G·units) →
/// fans (F, G·units), recurrent kernel (units, G·units) → fans (units, G·units), and orthogonal makes the rows of the
/// whole (units, G·units) recurrent matrix orthonormal (U·Uᵀ = I), not each gate's block. PyTorch initialises every
/// weight and bias of nn.RNN/LSTM/GRU from U(±1/√units); its init functions applied by hand to weight_hh (G·units,
/// units) see fans (units, G·units) too — the same numbers — and its orthogonal_ gives orthonormal columns of that
/// matrix, i.e. the same U·Uᵀ = I; "per-gate" initialisation (each gate's (units, units) block orthogonal, or Glorot
/// with fans (F, units)) is a convention some papers and code use, not either framework's default.</para>
/// <para>Deterministic for any thread count: threads only split GEMM output tiles; the elementwise gate work runs on the
/// calling thread and bias gradients are summed over rows in ascending order. The buffers belong to the layer and are
/// reused, so a training step allocates nothing once they exist.</para>
/// </remarks>
public abstract class RecurrentLayer : Layer
{
    private float[] _kernel = [];
    private float[] _recurrentKernel = [];
    private float[] _bias = [];
    private float[] _kernelGradient = [];
    private float[] _recurrentKernelGradient = [];
    private float[] _biasGradient = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _inputTimeMajor = [];
    private float[] _inputGradientTimeMajor = [];
    private Parameter[] _parameters = [];
    private int _capacityRows;

    /// <summary>Sets the options every recurrent layer has.</summary>
    private protected RecurrentLayer(int units, bool returnSequences, Activation? activation, IInitializer? kernelInitializer,
        IInitializer? recurrentInitializer, IInitializer? biasInitializer, string? name, string kind)
    {
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, string.Create(CultureInfo.InvariantCulture,
                $"{kind}: units must be >= 1, got {units}."));
        }
        Activation = activation ?? new Tanh();
        if (!Activation.IsElementwise)
        {
            throw new ArgumentException($"{kind}: activation must be elementwise (tanh, relu, …), got '{Activation.Name}'.", nameof(activation));
        }
        Units = units;
        ReturnSequences = returnSequences;
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Constant(0, "zeros");
        Name = name ?? string.Empty;
    }

    /// <summary>The state width (Keras <c>units</c>, PyTorch <c>hidden_size</c>).</summary>
    public int Units { get; }

    /// <summary>Whether the output is every step's state h_1 … h_T ([T, units]) rather than the last one ([units]).</summary>
    public bool ReturnSequences { get; }

    /// <summary>φ, the state's (and LSTM/GRU candidate's) activation (Keras default tanh).</summary>
    public Activation Activation { get; }

    /// <summary>The kernel W's initializer (default glorot_uniform, fans (F, G·units)).</summary>
    public IInitializer KernelInitializer { get; }

    /// <summary>The recurrent kernel U's initializer (default orthogonal over the whole (units, G·units) matrix).</summary>
    public IInitializer RecurrentInitializer { get; }

    /// <summary>The bias initializer (default zeros).</summary>
    public IInitializer BiasInitializer { get; }

    /// <summary>Number of gate blocks G side by side in the kernels: 1 (SimpleRNN), 4 (LSTM), 3 (GRU).</summary>
    public abstract int GateCount { get; }

    /// <summary>T, the number of timesteps (from the input shape; 0 until built).</summary>
    public int Timesteps { get; private set; }

    /// <summary>F, features per timestep (from the input shape; 0 until built).</summary>
    public int Features { get; private set; }

    /// <inheritdoc />
    public override int OutputDim => ReturnSequences ? Timesteps * Units : Units;

    /// <inheritdoc />
    /// <remarks>Before the layer is built the timesteps are unknown; a model builds its layers in order, so the next
    /// layer sees the real shape.</remarks>
    public override IReadOnlyList<int> OutputShape => ReturnSequences ? [Timesteps, Units] : [Units];

    /// <summary>The kernel fans Keras uses, (F, G·units): the whole matrix at once.</summary>
    public Fans KernelFans => new(Features, GateCount * Units);

    /// <summary>The recurrent kernel fans Keras uses, (units, G·units).</summary>
    public Fans RecurrentFans => new(Units, GateCount * Units);

    /// <summary>W, (F, G·units) row-major, gates in Keras order. Writable.</summary>
    public Span<float> Kernel => _kernel;

    /// <summary>U, (units, G·units) row-major, gates in Keras order. Writable.</summary>
    public Span<float> RecurrentKernel => _recurrentKernel;

    /// <summary>The bias: G·units values (GRU with reset_after: (2, 3·units), input bias then recurrent bias). Writable.</summary>
    public Span<float> Bias => _bias;

    /// <summary>∂loss/∂W of the last backward pass.</summary>
    public ReadOnlySpan<float> KernelGradient => _kernelGradient;

    /// <summary>∂loss/∂U of the last backward pass.</summary>
    public ReadOnlySpan<float> RecurrentKernelGradient => _recurrentKernelGradient;

    /// <summary>∂loss/∂b of the last backward pass.</summary>
    public ReadOnlySpan<float> BiasGradient => _biasGradient;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    /// <summary>Length of the bias vector.</summary>
    private protected virtual int BiasLength => GateCount * Units;

    /// <summary>The bias's shape as Keras stores it (what the initializer is told).</summary>
    private protected virtual int[] BiasShape => [GateCount * Units];

    private protected float[] KernelArray => _kernel;

    private protected float[] RecurrentArray => _recurrentKernel;

    private protected float[] BiasArray => _bias;

    private protected float[] RecurrentGradientArray => _recurrentKernelGradient;

    private protected float[] BiasGradientArray => _biasGradient;

    /// <summary>x in time-major order, (T·B, F): step t's rows are [t·B, (t+1)·B).</summary>
    private protected float[] InputTimeMajor => _inputTimeMajor;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        if (InputShape.Count != 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{KindName} '{Name}': input rows must have shape [timesteps, features] (rank 2), got [{string.Join(", ", InputShape)}]; build the model with new Sequential(new[] {{ T, F }}, …) or put the layer after one that returns sequences."),
                nameof(inputDim));
        }
        CheckWidth(this, inputDim);
        int gates = GateCount * Units;
        long kernel = (long)InputShape[1] * gates, recurrent = (long)Units * gates;
        if (kernel > Array.MaxLength || recurrent > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, string.Create(CultureInfo.InvariantCulture,
                $"{KindName} '{Name}': kernels of {kernel} and {recurrent} weights are more than one array can hold ({Array.MaxLength}); use fewer units."));
        }
        Timesteps = InputShape[0];
        Features = InputShape[1];
        InputDim = inputDim;
        _kernel = new float[kernel];
        _kernelGradient = new float[kernel];
        _recurrentKernel = new float[recurrent];
        _recurrentKernelGradient = new float[recurrent];
        _bias = new float[BiasLength];
        _biasGradient = new float[BiasLength];
        _parameters =
        [
            new Parameter(Name + "/kernel", _kernel, _kernelGradient, IsBias: false),
            new Parameter(Name + "/recurrent_kernel", _recurrentKernel, _recurrentKernelGradient, IsBias: false),
            new Parameter(Name + "/bias", _bias, _biasGradient, IsBias: true),
        ];
        _capacityRows = 0;
        if (rng is null)
        {
            return;
        }
        // Streams: kernel 0, recurrent kernel 1, bias 2 (and 3 for the LSTM's second unit_forget_bias segment).
        KernelInitializer.Fill(_kernel, [Features, gates], KernelFans, rng.Fork(0));
        RecurrentInitializer.Fill(_recurrentKernel, [Units, gates], RecurrentFans, rng.Fork(1));
        FillBias(_bias, rng);
    }

    /// <summary>Fills the bias (Keras: the bias initializer over the bias's shape; the LSTM overrides it for
    /// unit_forget_bias).</summary>
    private protected virtual void FillBias(Span<float> bias, Rng rng)
    {
        int[] shape = BiasShape;
        BiasInitializer.Fill(bias, shape, Fans.FromShape(shape, WeightLayout.Keras) with { LayerFanIn = Features }, rng.Fork(2));
    }

    internal override void EnsureCapacity(int rows)
    {
        if (rows <= _capacityRows)
        {
            return;
        }
        int steps = Timesteps * rows;
        _output = new float[rows * OutputDim];
        _outputGradient = new float[rows * OutputDim];
        _inputTimeMajor = new float[steps * Features];
        _inputGradientTimeMajor = new float[steps * Features];
        AllocateSteps(rows);
        _capacityRows = rows;
    }

    /// <summary>The gates' activation σ of a gated layer (LSTM, GRU): <paramref name="recurrentActivation"/> or sigmoid,
    /// refused unless elementwise, since each gate value multiplies one unit's state.</summary>
    private protected static Activation GateActivation(Activation? recurrentActivation, string layer)
    {
        Activation resolved = recurrentActivation ?? new Sigmoid();
        if (!resolved.IsElementwise)
        {
            throw new ArgumentException($"{layer}: recurrentActivation must be elementwise (sigmoid, hard_sigmoid, …), got '{resolved.Name}'.", nameof(recurrentActivation));
        }
        return resolved;
    }

    /// <summary>Allocates the layer's own per-step buffers for <paramref name="rows"/> sequences.</summary>
    private protected abstract void AllocateSteps(int rows);

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        BatchRows = rows;
        int t = Timesteps, f = Features;
        // x[b, s, :] → time-major row s·B + b.
        for (int b = 0; b < rows; b++)
        {
            for (int s = 0; s < t; s++)
            {
                input.AsSpan((b * t + s) * f, f).CopyTo(_inputTimeMajor.AsSpan((s * rows + b) * f, f));
            }
        }
        ForwardSteps(rows, threads);
    }

    /// <summary>Runs the T steps on <see cref="InputTimeMajor"/>, keeping what back-propagation needs, and writes the
    /// output through <see cref="WriteOutput"/>.</summary>
    private protected abstract void ForwardSteps(int rows, int threads);

    /// <summary>Input projection of all T steps in one GEMM: <paramref name="projection"/> (T·B, G·units) = x·W, plus
    /// the G·units-long <paramref name="bias"/> on every row.</summary>
    private protected void ProjectInputs(float[] projection, ReadOnlySpan<float> bias, int rows, int threads)
    {
        int gates = GateCount * Units, steps = Timesteps * rows;
        Gemm.Multiply(_inputTimeMajor, false, _kernel, false, projection, steps, gates, Features, accumulate: false, threads);
        for (int r = 0; r < steps; r++)
        {
            Span<float> row = projection.AsSpan(r * gates, gates);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Copies the states into the output: every step's (batch-major [b, t, :]) or the last one's.</summary>
    /// <param name="states">(T+1)·B·units, step s's state at block s+1 (block 0 is the zero initial state).</param>
    /// <param name="rows">B.</param>
    private protected void WriteOutput(float[] states, int rows)
    {
        int t = Timesteps, h = Units;
        if (!ReturnSequences)
        {
            states.AsSpan(t * rows * h, rows * h).CopyTo(_output);
            return;
        }
        for (int s = 0; s < t; s++)
        {
            for (int b = 0; b < rows; b++)
            {
                states.AsSpan(((s + 1) * rows + b) * h, h).CopyTo(_output.AsSpan((b * t + s) * h, h));
            }
        }
    }

    /// <summary>Sets <paramref name="stateGradient"/> (B·units) to ∂loss/∂h_s from the output (zero for s &lt; T−1 when
    /// only the last state is returned) plus what step s+1 sent back, <paramref name="fromNextStep"/>.</summary>
    private protected void StateGradient(int step, int rows, ReadOnlySpan<float> fromNextStep, Span<float> stateGradient)
    {
        int t = Timesteps, h = Units;
        bool last = step == t - 1;
        if (ReturnSequences)
        {
            for (int b = 0; b < rows; b++)
            {
                ReadOnlySpan<float> dOut = _outputGradient.AsSpan((b * t + step) * h, h);
                if (last)
                {
                    dOut.CopyTo(stateGradient.Slice(b * h, h));
                }
                else
                {
                    TensorPrimitives.Add(fromNextStep.Slice(b * h, h), dOut, stateGradient.Slice(b * h, h));
                }
            }
            return;
        }
        if (last)
        {
            _outputGradient.AsSpan(0, rows * h).CopyTo(stateGradient);
        }
        else
        {
            fromNextStep[..(rows * h)].CopyTo(stateGradient);
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        BackwardSteps(rows, threads);
        float[] dz = InputSideGradient;
        int gates = GateCount * Units, steps = Timesteps * rows, f = Features;
        // dW = xᵀ·dz over all T·B rows; the input-side bias gets the column sums, row by row in ascending order.
        Gemm.Multiply(_inputTimeMajor, true, dz, false, _kernelGradient, f, gates, steps, accumulate: false, threads);
        Span<float> db = _biasGradient.AsSpan(0, gates);
        db.Clear();
        for (int r = 0; r < steps; r++)
        {
            TensorPrimitives.Add(db, dz.AsSpan(r * gates, gates), db);
        }
        if (inputGradient is null)
        {
            return;
        }
        Gemm.Multiply(dz, false, _kernel, true, _inputGradientTimeMajor, steps, f, gates, accumulate: false, threads);
        int t = Timesteps;
        for (int b = 0; b < rows; b++)
        {
            for (int s = 0; s < t; s++)
            {
                _inputGradientTimeMajor.AsSpan((s * rows + b) * f, f).CopyTo(inputGradient.AsSpan((b * t + s) * f, f));
            }
        }
    }

    /// <summary>Back-propagation through time over the T steps of the last forward pass: fills
    /// <see cref="InputSideGradient"/>, ∂loss/∂U and the bias gradient beyond the first G·units entries.</summary>
    private protected abstract void BackwardSteps(int rows, int threads);

    /// <summary>∂loss/∂(x_t·W + b) for every step, time-major (T·B, G·units): what ∂W, the input bias and ∂x come from.</summary>
    private protected abstract float[] InputSideGradient { get; }

    /// <summary>b += Σ_rows g (g is rows×width), rows in ascending order.</summary>
    private protected static void SumRows(ReadOnlySpan<float> g, int rows, int width, Span<float> into)
    {
        into.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(into, g.Slice(r * width, width), into);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{KindName} '{Name}' [{Timesteps}, {Features}]→{Units}{(ReturnSequences ? " (sequences)" : string.Empty)} {Activation.Name}, kernel {KernelInitializer.Name}, recurrent {RecurrentInitializer.Name}, bias {BiasInitializer.Name}");
}
