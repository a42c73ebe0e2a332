using System.Globalization;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// A transposed 2-D convolution (Keras <c>Conv2DTranspose</c>, "deconvolution"): the adjoint of the <see cref="Conv2D"/>
/// that maps an OH×OW×filters image to this layer's H×W×C input with the same window, stride, dilation and padding. The
/// output size follows Keras: "valid" gives n·s + max(k_eff − s, 0), "same" gives n·s (k_eff = (k − 1)·d + 1).
/// </summary>
/// <remarks>
/// <para>The kernel has Keras's layout (kh, kw, filters, C) — the same array as that forward Conv2D's (kh, kw, C_in, C_out)
/// kernel with C_in = this layer's filters and C_out = its input channels. Keras reads fans from that shape, so
/// fan_in = kh·kw·filters and fan_out = kh·kw·C: "fan_in" counts the OUTPUT channels. PyTorch's <c>ConvTranspose2d</c>
/// weight is (C, filters/groups, kh, kw), element (c, f, i, j) being this kernel's (i, j, f, c), and its fan_in is
/// shape[1]·kh·kw = filters/groups·kh·kw — again the output channels, so its default init (kaiming_uniform with a = √5,
/// i.e. U(±1/√fan_in)) and every fan_in-mode initializer are scaled by the output side, not by the C·kh·kw/(s_h·s_w)
/// inputs an output pixel actually sums (a known gotcha). This layer keeps Keras's fans.</para>
/// <para>Forward: columns = x·Wᵀ (rows·H·W × kh·kw·filters), z = col2im(columns) + b, a = φ(z). Backward: patches =
/// im2col(dz); dW = patchesᵀ·x, dx = patches·W, db = Σ dz. No groups and no output_padding (Keras has none of the first;
/// the second is not implemented).</para>
/// </remarks>
public sealed class Conv2DTranspose : Layer
{
    private float[] _kernel = [];
    private float[] _bias = [];
    private float[] _kernelGradient = [];
    private float[] _biasGradient = [];
    private float[] _input = [];
    private float[] _columns = [];
    private float[] _preActivation = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _preActivationGradient = [];
    private Parameter[] _parameters = [];
    private ConvolutionGeometry _geometry;
    private int _inputChannels;
    private int _outputDim;
    private readonly PatchWork _patchWork = new();

    /// <summary>Creates the layer (Keras defaults: stride 1, "valid", dilation 1, glorot_uniform kernel, zeros bias).</summary>
    /// <param name="filters">Output channels, ≥ 1.</param>
    /// <param name="kernelSize">Window (height, width), each ≥ 1.</param>
    /// <param name="strides">Step (height, width), each ≥ 1 (default (1, 1)): the output is about stride times larger.</param>
    /// <param name="padding">Valid or Same.</param>
    /// <param name="dilationRate">Tap spacing (height, width), each ≥ 1 (default (1, 1)).</param>
    /// <param name="activation">φ (default linear).</param>
    /// <param name="kernelInitializer">Kernel initializer (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (default zeros).</param>
    /// <param name="useBias">Whether the layer adds a bias per filter.</param>
    /// <param name="name">Name (default conv2d_transpose_i, set by the model).</param>
    public Conv2DTranspose(int filters, (int Height, int Width) kernelSize, (int Height, int Width)? strides = null,
        ConvolutionPadding padding = ConvolutionPadding.Valid, (int Height, int Width)? dilationRate = null,
        Activation? activation = null, IInitializer? kernelInitializer = null, IInitializer? biasInitializer = null, bool useBias = true,
        string? name = null)
    {
        if (filters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(filters), filters, $"Conv2DTranspose: filters must be >= 1, got {filters}.");
        }
        Filters = filters;
        KernelSize = ConvolutionArguments.Positive(kernelSize, nameof(kernelSize), "Conv2DTranspose");
        Strides = ConvolutionArguments.Positive(strides ?? (1, 1), nameof(strides), "Conv2DTranspose");
        DilationRate = ConvolutionArguments.Positive(dilationRate ?? (1, 1), nameof(dilationRate), "Conv2DTranspose");
        Padding = ConvolutionArguments.Defined(padding, "Conv2DTranspose");
        Activation = activation ?? new Linear();
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = biasInitializer ?? new Constant(0, "zeros");
        UseBias = useBias;
        Name = name ?? string.Empty;
    }

    /// <summary>Creates the layer from Keras-style arguments (square window, stride and dilation; registry names).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="strides">Step.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="dilationRate">Tap spacing.</param>
    /// <param name="activation">Activation name.</param>
    /// <param name="kernelInitializer">Kernel initializer name.</param>
    /// <param name="biasInitializer">Bias initializer name.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    public Conv2DTranspose(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1,
        string activation = "linear", string kernelInitializer = "glorot_uniform", string biasInitializer = "zeros", bool useBias = true)
        : this(filters, (kernelSize, kernelSize), (strides, strides), ConvolutionArguments.ParsePadding(padding, "Conv2DTranspose"),
            (dilationRate, dilationRate), ActivationRegistry.Resolve(activation), InitializerRegistry.Resolve(kernelInitializer),
            InitializerRegistry.Resolve(biasInitializer), useBias)
    {
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step (height, width).</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>Tap spacing (height, width).</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <summary>Valid or Same.</summary>
    public ConvolutionPadding Padding { get; }

    /// <summary>φ.</summary>
    public Activation Activation { get; }

    /// <summary>The kernel initializer.</summary>
    public IInitializer KernelInitializer { get; }

    /// <summary>The bias initializer.</summary>
    public IInitializer BiasInitializer { get; }

    /// <summary>Whether the layer adds a bias per filter.</summary>
    public bool UseBias { get; }

    /// <inheritdoc />
    public override int OutputDim => _outputDim;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape => IsBuilt ? [_geometry.Height, _geometry.Width, Filters] : [OutputDim];

    /// <inheritdoc />
    public override string KindName => "Conv2DTranspose";

    /// <summary>The kernel's shape in Keras's layout, (kh, kw, filters, C) (empty until built).</summary>
    public IReadOnlyList<int> KernelShape => IsBuilt ? [KernelSize.Height, KernelSize.Width, Filters, _inputChannels] : [];

    /// <summary>Keras's kernel fans: fan_in = kh·kw·filters, fan_out = kh·kw·C (see the remarks).</summary>
    public Fans KernelFans => Fans.FromShape(KernelShape, WeightLayout.Keras);

    /// <summary>W in Keras layout (kh, kw, filters, C), row-major. Writable.</summary>
    public Span<float> Kernel => _kernel;

    /// <summary>b, one per filter (empty without bias).</summary>
    public Span<float> Bias => _bias;

    /// <summary>∂loss/∂W of the last backward pass.</summary>
    public ReadOnlySpan<float> KernelGradient => _kernelGradient;

    /// <summary>∂loss/∂b of the last backward pass.</summary>
    public ReadOnlySpan<float> BiasGradient => _biasGradient;

    /// <summary>z of the last forward pass (rows×OH×OW×filters).</summary>
    public ReadOnlySpan<float> PreActivation => _preActivation.AsSpan(0, BatchRows * OutputDim);

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    /// <summary>The forward convolution this layer is the adjoint of: from this layer's output image to its input grid.</summary>
    internal ConvolutionGeometry Geometry => _geometry;

    /// <summary>Keras's <c>deconv_output_length</c> without output_padding: valid n·s + max(k_eff − s, 0), same n·s.</summary>
    internal static long OutputLength(int length, int kernel, int stride, int dilation, bool same)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        return same ? (long)length * stride : (long)length * stride + Math.Max(effective - stride, 0);
    }

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        (int height, int width, int channels) = ConvolutionArguments.ImageShape(this, inputDim);
        bool same = Padding == ConvolutionPadding.Same;
        long outputHeight = OutputLength(height, KernelSize.Height, Strides.Height, DilationRate.Height, same);
        long outputWidth = OutputLength(width, KernelSize.Width, Strides.Width, DilationRate.Width, same);
        long outputDim = outputHeight * outputWidth * Filters;
        long weights = (long)KernelSize.Height * KernelSize.Width * Filters * channels;
        if (outputDim > Array.MaxLength || weights > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, string.Create(CultureInfo.InvariantCulture,
                $"Conv2DTranspose '{Name}': {outputDim} outputs per row or {weights} weights do not fit one array."));
        }
        (int forwardHeight, int padTop) = ConvolutionGeometry.Axis((int)outputHeight, KernelSize.Height, Strides.Height, DilationRate.Height, same);
        (int forwardWidth, int padLeft) = ConvolutionGeometry.Axis((int)outputWidth, KernelSize.Width, Strides.Width, DilationRate.Width, same);
        if (forwardHeight != height || forwardWidth != width)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Conv2DTranspose '{Name}': internal error, the forward convolution of a {outputHeight}×{outputWidth} output gives {forwardHeight}×{forwardWidth}, not the {height}×{width} input."));
        }
        _geometry = new ConvolutionGeometry((int)outputHeight, (int)outputWidth, Filters, KernelSize.Height, KernelSize.Width,
            Strides.Height, Strides.Width, DilationRate.Height, DilationRate.Width, padTop, padLeft, height, width);
        InputDim = inputDim;
        _inputChannels = channels;
        _outputDim = (int)outputDim;
        _kernel = new float[weights];
        _kernelGradient = new float[weights];
        _bias = UseBias ? new float[Filters] : [];
        _biasGradient = UseBias ? new float[Filters] : [];
        _parameters = UseBias
            ? [new Parameter(Name + "/kernel", _kernel, _kernelGradient, IsBias: false), new Parameter(Name + "/bias", _bias, _biasGradient, IsBias: true)]
            : [new Parameter(Name + "/kernel", _kernel, _kernelGradient, IsBias: false)];
        _output = [];
        if (rng is null)
        {
            return;
        }
        Fans fans = KernelFans;
        KernelInitializer.Fill(_kernel, KernelShape, fans, rng.Fork(0));
        if (UseBias)
        {
            BiasInitializer.Fill(_bias, [Filters], Fans.ForBias(Filters, fans.In), rng.Fork(1));
        }
    }

    private bool IsPointwise => _geometry.IsPointwise;

    private int Taps => _geometry.Taps * Filters;

    internal override void EnsureCapacity(int rows)
    {
        long inputPositions = (long)rows * _geometry.Positions;
        if (inputPositions * Taps > Array.MaxLength || (long)rows * OutputDim > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, string.Create(CultureInfo.InvariantCulture,
                $"Conv2DTranspose '{Name}': a batch of {rows} rows needs buffers larger than one array; use smaller batches."));
        }
        int needed = rows * OutputDim;
        if (_output.Length < needed)
        {
            _preActivation = new float[needed];
            _output = new float[needed];
            _outputGradient = new float[needed];
            _preActivationGradient = new float[needed];
            _columns = IsPointwise ? [] : new float[inputPositions * Taps];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        int inputPositions = rows * _geometry.Positions;
        int outputPositions = rows * _geometry.Pixels;
        Span<float> z = _preActivation.AsSpan(0, outputPositions * Filters);
        if (IsPointwise)
        {
            Gemm.Multiply(input, false, _kernel, true, z, inputPositions, Filters, _inputChannels, accumulate: false, threads);
        }
        else
        {
            // columns = x·Wᵀ, z = col2im(columns).
            Gemm.Multiply(input, false, _kernel, true, _columns, inputPositions, Taps, _inputChannels, accumulate: false, threads);
            z.Clear();
            _patchWork.UnpackAdd(_columns, rows, _geometry, 0, Filters, _preActivation, threads);
        }
        ConvolutionArguments.BiasActivation(z, _bias, _output, outputPositions, Filters, Activation);
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        int inputPositions = rows * _geometry.Positions;
        int outputPositions = rows * _geometry.Pixels;
        ConvolutionArguments.ActivationBiasGradient(_preActivation, _output, _outputGradient, _preActivationGradient, _biasGradient,
            outputPositions, Filters, Activation);
        float[] patches = _preActivationGradient;
        if (!IsPointwise)
        {
            _patchWork.Pack(_preActivationGradient, rows, _geometry, 0, Filters, _columns, threads);
            patches = _columns;
        }
        // dW = im2col(dz)ᵀ·x, dx = im2col(dz)·W.
        Gemm.Multiply(patches, true, _input, false, _kernelGradient, Taps, _inputChannels, inputPositions, accumulate: false, threads);
        if (inputGradient is not null)
        {
            Gemm.Multiply(patches, false, _kernel, false, inputGradient, inputPositions, _inputChannels, Taps, accumulate: false, threads);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Conv2DTranspose '{Name}' [{string.Join(", ", InputShape)}]→[{string.Join(", ", OutputShape)}] {Filters} filters {KernelSize.Height}×{KernelSize.Width}, stride {Strides.Height}×{Strides.Width}, {Padding.ToString().ToLowerInvariant()}, dilation {DilationRate.Height}×{DilationRate.Width}, {Activation.Name}, kernel {KernelInitializer.Name}, bias {(UseBias ? BiasInitializer.Name : "none")}");
}
