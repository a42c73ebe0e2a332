using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// A fully connected layer, a = φ(x·W + b), with the kernel W stored in Keras layout (in, out), so fans are (in, out).
/// The layer owns and reuses its buffers (pre-activations, activations, gradients): a training step allocates nothing
/// once they exist. Diagnostics read them directly through the read-only views.
/// </summary>
public sealed class Dense : Layer
{
    private float[] _kernel = [];
    private float[] _bias = [];
    private float[] _kernelGradient = [];
    private float[] _biasGradient = [];
    private float[] _preActivation = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _preActivationGradient = [];
    private float[] _input = [];
    private Parameter[] _parameters = [];
    private readonly TileRows? _rowActivation;

    /// <summary>Creates a layer (Keras defaults: glorot_uniform kernel, zeros bias).</summary>
    /// <param name="units">Number of output units, ≥ 1.</param>
    /// <param name="activation">The activation (default linear).</param>
    /// <param name="kernelInitializer">Kernel initializer (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (default zeros).</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="name">Name for diagnostics and errors (default dense_i, set by the model).</param>
    public Dense(int units, Activation? activation = null, IInitializer? kernelInitializer = null, IInitializer? biasInitializer = null,
        bool useBias = true, string? name = null)
    {
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"Dense: units must be >= 1, got {units}.");
        }
        Units = units;
        Activation = activation ?? new Linear();
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = biasInitializer ?? new Constant(0, "zeros");
        UseBias = useBias;
        Name = name ?? string.Empty;
        _rowActivation = Activation.SameBitsForAnySpan ? new TileRows(Activation) : null;
    }

    /// <summary>Creates a layer from registry names, e.g. <c>new Dense(64, "relu", "he_normal")</c>.</summary>
    /// <param name="units">Number of output units.</param>
    /// <param name="activation">Activation name.</param>
    /// <param name="kernelInitializer">Kernel initializer name.</param>
    /// <param name="biasInitializer">Bias initializer name.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    public Dense(int units, string activation, string kernelInitializer = "glorot_uniform", string biasInitializer = "zeros", bool useBias = true)
        : this(units, ActivationRegistry.Resolve(activation), InitializerRegistry.Resolve(kernelInitializer),
            InitializerRegistry.Resolve(biasInitializer), useBias)
    {
    }

    /// <summary>Output width.</summary>
    public int Units { get; }

    /// <inheritdoc />
    public override int OutputDim => Units;

    /// <inheritdoc />
    public override string KindName => "Dense";

    /// <summary>The activation.</summary>
    public Activation Activation { get; }

    /// <summary>The kernel initializer.</summary>
    public IInitializer KernelInitializer { get; }

    /// <summary>The bias initializer.</summary>
    public IInitializer BiasInitializer { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool UseBias { get; }

    /// <summary>The kernel fans, (in, out).</summary>
    public Fans KernelFans => new(InputDim, Units);

    /// <summary>W, (in, out) row-major. Writable: initializers and LSUV change it in place.</summary>
    public Span<float> Kernel => _kernel;

    /// <summary>b, length out (empty without bias).</summary>
    public Span<float> Bias => _bias;

    /// <summary>∂loss/∂W of the last backward pass.</summary>
    public ReadOnlySpan<float> KernelGradient => _kernelGradient;

    /// <summary>∂loss/∂b of the last backward pass.</summary>
    public ReadOnlySpan<float> BiasGradient => _biasGradient;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    /// <summary>The input x of the last forward pass (rows×in).</summary>
    public ReadOnlySpan<float> Input => _input.AsSpan(0, BatchRows * InputDim);

    /// <summary>z = x·W + b of the last forward pass (rows×out).</summary>
    public ReadOnlySpan<float> PreActivation => _preActivation.AsSpan(0, BatchRows * Units);

    /// <summary>∂loss/∂z of the last backward pass.</summary>
    public ReadOnlySpan<float> PreActivationGradient => _preActivationGradient.AsSpan(0, BatchRows * Units);

    /// <summary>Whether the forward pass adds the bias and applies φ inside the GEMM's output pass, tile by tile (same bits
    /// as the separate pass, tests). Off by default: on AMD Zen 4 the interleaved A/B (docs/performance.md) measured the
    /// fused forward 2–4 % slower on W2/W3 and even on W4 — the second tile-ordered store stream into cold lines costs more
    /// than the separate, L2-resident, sequential pass it saves.</summary>
    internal bool FuseForward { get; set; }

    /// <summary>Whether the backward pass sums the bias gradient row by row in the pass that applies the activation's
    /// Jacobian, while each row of ∂loss/∂z is in L1. On by default; off runs the separate pass (same bits, tests).</summary>
    internal bool FuseBackward { get; set; } = true;

    internal float[] KernelArray => _kernel;

    internal float[] BiasArray => _bias;

    internal float[] KernelGradientArray => _kernelGradient;

    internal float[] BiasGradientArray => _biasGradient;

    /// <summary>a = φ(z) of the last forward pass; ∂loss/∂a of the last backward pass is not filled when the loss was
    /// fused with the activation.</summary>
    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal Span<float> WritablePreActivationGradient(int rows) => _preActivationGradient.AsSpan(0, rows * Units);

    /// <summary>Allocates the weights for <paramref name="inputDim"/> inputs and fills them from the initializers:
    /// kernel from stream 0 of <paramref name="rng"/>, bias from stream 1.</summary>
    /// <param name="inputDim">Input width, ≥ 1.</param>
    /// <param name="rng">This layer's generator.</param>
    public void Build(int inputDim, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Build([inputDim], rng);
    }

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        Allocate(inputDim);
        if (rng is null)
        {
            return;
        }
        KernelInitializer.Fill(_kernel, [inputDim, Units], KernelFans, rng.Fork(0));
        if (UseBias)
        {
            BiasInitializer.Fill(_bias, [Units], Fans.ForBias(Units, inputDim), rng.Fork(1));
        }
    }

    /// <summary>Allocates zeroed weights for <paramref name="inputDim"/> inputs without running the initializers (a model
    /// file's loader fills them from the file).</summary>
    internal void Allocate(int inputDim)
    {
        if (inputDim < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, $"Dense '{Name}': input width must be >= 1, got {inputDim}.");
        }
        long weights = (long)inputDim * Units;
        if (weights > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, string.Create(CultureInfo.InvariantCulture,
                $"Dense '{Name}' ({inputDim}→{Units}): the kernel needs {weights} weights, more than one array can hold ({Array.MaxLength}); use narrower layers."));
        }
        InputDim = inputDim;
        _kernel = new float[weights];
        _kernelGradient = new float[weights];
        _bias = UseBias ? new float[Units] : [];
        _biasGradient = UseBias ? new float[Units] : [];
        _parameters = UseBias
            ? [new Parameter(Name + "/kernel", _kernel, _kernelGradient, IsBias: false), new Parameter(Name + "/bias", _bias, _biasGradient, IsBias: true)]
            : [new Parameter(Name + "/kernel", _kernel, _kernelGradient, IsBias: false)];
    }

    /// <summary>Grows the activation buffers to hold <paramref name="rows"/> rows (no-op when large enough).</summary>
    internal override void EnsureCapacity(int rows)
    {
        int needed = rows * Units;
        if (_preActivation.Length < needed)
        {
            _preActivation = new float[needed];
            _output = new float[needed];
            _outputGradient = new float[needed];
            _preActivationGradient = new float[needed];
        }
    }

    /// <inheritdoc />
    internal override void Forward(float[] input, int rows, PassMode mode, int threads) => Forward(input, rows, threads);

    /// <summary>Forward pass over <paramref name="rows"/> rows of <paramref name="input"/> (kept by reference for backward).</summary>
    internal void Forward(float[] input, int rows, int threads)
    {
        if (input.Length < rows * InputDim)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Dense '{Name}' ({InputDim}→{Units}).Forward: input has {input.Length} values, expected {rows}×{InputDim}."));
        }
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        Span<float> z = _preActivation.AsSpan(0, rows * Units);
        Span<float> a = _output.AsSpan(0, rows * Units);
        OutputActivation? fused = !FuseForward ? null
            : Activation is Relu ? OutputActivation.Relu
            : Activation is Linear ? OutputActivation.Linear
            : _rowActivation is not null ? OutputActivation.Rows
            : null;
        if (fused is OutputActivation kind)
        {
            Gemm.MultiplyBiasActivation(input, false, _kernel, false, z, UseBias ? _bias : default, a, kind, _rowActivation,
                rows, Units, InputDim, threads);
            return;
        }
        Gemm.Multiply(input, false, _kernel, false, z, rows, Units, InputDim, accumulate: false, threads);
        if (UseBias && Activation is Relu)
        {
            BiasRelu(z, _bias, a, Units);
            return;
        }
        if (UseBias)
        {
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = z.Slice(r * Units, Units);
                TensorPrimitives.Add(row, _bias, row);
            }
        }
        Activation.Forward<float>(z, a, Units);
    }

    /// <summary>The widest vector path of <see cref="BiasRelu(Span{float}, ReadOnlySpan{float}, Span{float}, int, int)"/>
    /// this machine runs: 512 (AVX-512), 256 (AVX2), or 0 (scalar).</summary>
    internal static int BiasReluWidth => OutputPass.Width;

    private static void BiasRelu(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int cols) =>
        BiasRelu(z, bias, a, cols, BiasReluWidth);

    /// <summary>z += b and a = max(z, 0) in one pass over each row (the common case, fused to save a pass over z), by
    /// <see cref="OutputPass"/> — the same row kernel the GEMM's fused output pass uses, so both paths give the same bits.
    /// <paramref name="widthBits"/> caps the vector width (512, 256 or 0 for the scalar reference), so every path can be
    /// tested on a machine that has it. In place (a and z the same buffer) is allowed.</summary>
    internal static void BiasRelu(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int cols, int widthBits)
    {
        for (int start = 0; start < z.Length; start += cols)
        {
            OutputPass.Row(z.Slice(start, cols), bias[..cols], a.Slice(start, cols), OutputActivation.Relu, null, widthBits);
        }
    }

    /// <inheritdoc />
    internal override void Backward(float[]? inputGradient, int threads) => Backward(false, inputGradient, threads);

    /// <summary>
    /// Backward pass. When <paramref name="gradientIsPreActivation"/> is false, ∂loss/∂a must be in the output-gradient
    /// buffer and the activation's Jacobian is applied; when true (loss fused with the activation), ∂loss/∂z is already
    /// in the pre-activation-gradient buffer. Writes ∂loss/∂x into <paramref name="inputGradient"/> unless it is null.
    /// </summary>
    internal void Backward(bool gradientIsPreActivation, float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        Span<float> dz = _preActivationGradient.AsSpan(0, rows * Units);
        bool biasDone = false;
        if (!gradientIsPreActivation)
        {
            if (FuseBackward && UseBias && (Activation is Relu || _rowActivation is not null))
            {
                JacobianAndBiasGradient(rows);
                biasDone = true;
            }
            else
            {
                Activation.Backward<float>(PreActivation, Output, OutputGradient, dz, Units);
            }
        }
        // dW = xᵀ·dz, db = Σ_rows dz, dx = dz·Wᵀ.
        Gemm.Multiply(_input, true, _preActivationGradient, false, _kernelGradient, InputDim, Units, rows, accumulate: false, threads);
        if (UseBias && !biasDone)
        {
            _biasGradient.AsSpan().Clear();
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(_biasGradient, dz.Slice(r * Units, Units), _biasGradient);
            }
        }
        if (inputGradient is not null)
        {
            Gemm.Multiply(_preActivationGradient, false, _kernel, true, inputGradient, rows, InputDim, Units, accumulate: false, threads);
        }
    }

    /// <summary>
    /// dz = φ′(z)·da and db = Σ_rows dz in one pass, row by row: each row of dz is added to db while it is in L1, instead of
    /// a second pass over all of dz. db is cleared and then gets the rows in ascending order, each added with one float
    /// addition per element, exactly as the separate pass does; ReLU's φ′(z)·da is (z &gt; 0 ? 1 : 0)·da on every path,
    /// as in <see cref="ReluFormula"/>, and other elementwise activations run their own Backward on each row (their
    /// vector and scalar slopes agree lane by lane), so the bits do not change.
    /// </summary>
    private void JacobianAndBiasGradient(int rows)
    {
        int cols = Units;
        Span<float> db = _biasGradient;
        db.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = _preActivation.AsSpan(r * cols, cols);
            ReadOnlySpan<float> da = _outputGradient.AsSpan(r * cols, cols);
            Span<float> dz = _preActivationGradient.AsSpan(r * cols, cols);
            if (Activation is Relu)
            {
                ReluJacobianAddRow(z, da, dz, db);
            }
            else
            {
                Activation.Backward<float>(z, _output.AsSpan(r * cols, cols), da, dz, cols);
                TensorPrimitives.Add(db, dz, db);
            }
        }
    }

    /// <summary>dz = (z &gt; 0 ? 1 : 0)·da and db += dz for one row: 16-lane, then 8-lane chunks, then scalars.</summary>
    private static void ReluJacobianAddRow(ReadOnlySpan<float> z, ReadOnlySpan<float> da, Span<float> dz, Span<float> db)
    {
        int cols = z.Length;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= cols; j += Vector512<float>.Count)
            {
                Vector512<float> mask = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(z.Slice(j, Vector512<float>.Count)), Vector512<float>.Zero),
                    Vector512<float>.One, Vector512<float>.Zero);
                Vector512<float> d = mask * Vector512.Create(da.Slice(j, Vector512<float>.Count));
                d.CopyTo(dz.Slice(j));
                (Vector512.Create(db.Slice(j, Vector512<float>.Count)) + d).CopyTo(db.Slice(j));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= cols; j += Vector256<float>.Count)
            {
                Vector256<float> mask = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Create(z.Slice(j, Vector256<float>.Count)), Vector256<float>.Zero),
                    Vector256<float>.One, Vector256<float>.Zero);
                Vector256<float> d = mask * Vector256.Create(da.Slice(j, Vector256<float>.Count));
                d.CopyTo(dz.Slice(j));
                (Vector256.Create(db.Slice(j, Vector256<float>.Count)) + d).CopyTo(db.Slice(j));
            }
        }
        for (; j < cols; j++)
        {
            float d = (z[j] > 0 ? 1f : 0f) * da[j];
            dz[j] = d;
            db[j] += d;
        }
    }

    /// <summary>Hands an elementwise activation to the GEMM's output pass (one tile row at a time).</summary>
    private sealed class TileRows(Activation activation) : RowActivation
    {
        public override void Apply(ReadOnlySpan<float> z, Span<float> a) => activation.Forward(z, a, z.Length);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Dense '{Name}' {InputDim}→{Units} {Activation.Name}, kernel {KernelInitializer.Name}, bias {(UseBias ? BiasInitializer.Name : "none")}");
}
