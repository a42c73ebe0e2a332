using System.Globalization;
using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Kernels;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// A 2-D convolution over channels-last images (Keras <c>Conv2D</c>): rows are H×W×C images flattened row-major, the
/// output OH×OW×filters, a = φ(conv(x, W) + b). The kernel is stored in Keras's layout (kh, kw, C/groups, filters), so its
/// fans are Keras's and PyTorch's alike: fan_in = kh·kw·C/groups, fan_out = kh·kw·filters
/// (<see cref="Fans.FromShape"/>). Grouped convolution splits the channels and the filters into <see cref="Groups"/>
/// equal parts, part g of the filters seeing only part g of the channels; groups = C is a depthwise convolution.
/// </summary>
/// <remarks>
/// <para>Computed as one GEMM per group over an im2col patch matrix (rows·OH·OW × kh·kw·C/groups), whose column order is
/// the kernel's row order: forward z = patches·W; backward dW = patchesᵀ·dz, db = Σ dz, dx = col2im(dz·Wᵀ). A 1×1
/// stride-1 convolution without groups uses the input itself as the patch matrix. The buffers belong to the layer and
/// are reused, so a training step allocates nothing; the GEMM and im2col give the same bits for any thread count.</para>
/// <para>PyTorch's <c>Conv2d</c> weight is (filters, C/groups, kh, kw): element (f, c, i, j) is this kernel's (i, j, c, f).
/// Keras's separate <c>DepthwiseConv2D</c> stores (kh, kw, C, multiplier) and so reads fan_in = kh·kw·C, C times the
/// kh·kw inputs each output really has; this layer with groups = C (kernel (kh, kw, 1, C·multiplier)) reads kh·kw, as
/// PyTorch does.</para>
/// </remarks>
public sealed class Conv2D : Layer
{
    private float[] _kernel = [];
    private float[] _bias = [];
    private float[] _kernelGradient = [];
    private float[] _biasGradient = [];
    private float[] _input = [];
    private float[] _patches = [];
    private float[] _columnGradient = [];
    private float[] _preActivation = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _preActivationGradient = [];
    private float[] _groupKernel = [];
    private float[] _groupKernelGradient = [];
    private float[] _groupOutput = [];
    private Parameter[] _parameters = [];
    private ConvolutionGeometry _geometry;
    private int _outputDim;
    private readonly PatchWork _patchWork = new();

    /// <summary>Creates the layer (Keras defaults: stride 1, "valid", dilation 1, one group, glorot_uniform kernel, zeros bias).</summary>
    /// <param name="filters">Output channels, ≥ 1 (a multiple of <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Window (height, width), each ≥ 1.</param>
    /// <param name="strides">Step (height, width), each ≥ 1 (default (1, 1)).</param>
    /// <param name="padding">Valid or Same.</param>
    /// <param name="dilationRate">Spacing of the window's taps (height, width), each ≥ 1 (default (1, 1)).</param>
    /// <param name="groups">Channel groups, ≥ 1, dividing both the input channels and <paramref name="filters"/>.</param>
    /// <param name="activation">φ (default linear).</param>
    /// <param name="kernelInitializer">Kernel initializer (default glorot_uniform).</param>
    /// <param name="biasInitializer">Bias initializer (default zeros).</param>
    /// <param name="useBias">Whether the layer adds a bias per filter.</param>
    /// <param name="name">Name (default conv2d_i, set by the model).</param>
    public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width)? strides = null,
        ConvolutionPadding padding = ConvolutionPadding.Valid, (int Height, int Width)? dilationRate = null, int groups = 1,
        Activation? activation = null, IInitializer? kernelInitializer = null, IInitializer? biasInitializer = null, bool useBias = true,
        string? name = null)
    {
        if (filters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(filters), filters, $"Conv2D: filters must be >= 1, got {filters}.");
        }
        if (groups < 1 || filters % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, string.Create(CultureInfo.InvariantCulture,
                $"Conv2D: groups must be >= 1 and divide filters ({filters}), got {groups}."));
        }
        Filters = filters;
        KernelSize = ConvolutionArguments.Positive(kernelSize, nameof(kernelSize), "Conv2D");
        Strides = ConvolutionArguments.Positive(strides ?? (1, 1), nameof(strides), "Conv2D");
        DilationRate = ConvolutionArguments.Positive(dilationRate ?? (1, 1), nameof(dilationRate), "Conv2D");
        Padding = ConvolutionArguments.Defined(padding, "Conv2D");
        Groups = groups;
        Activation = activation ?? new Linear();
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = biasInitializer ?? new Constant(0, "zeros");
        UseBias = useBias;
        Name = name ?? string.Empty;
    }

    /// <summary>Creates the layer from Keras-style arguments, e.g. <c>new Conv2D(32, 3, padding: "same", activation: "relu")</c>
    /// (square window, stride and dilation; registry names for the activation and initializers).</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="strides">Step.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="dilationRate">Tap spacing.</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="activation">Activation name.</param>
    /// <param name="kernelInitializer">Kernel initializer name.</param>
    /// <param name="biasInitializer">Bias initializer name.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1, int groups = 1,
        string activation = "linear", string kernelInitializer = "glorot_uniform", string biasInitializer = "zeros", bool useBias = true)
        : this(filters, (kernelSize, kernelSize), (strides, strides), ConvolutionArguments.ParsePadding(padding, "Conv2D"),
            (dilationRate, dilationRate), groups, ActivationRegistry.Resolve(activation), InitializerRegistry.Resolve(kernelInitializer),
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

    /// <summary>Channel groups (1: ordinary; the input channels: depthwise).</summary>
    public int Groups { get; }

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
    public override IReadOnlyList<int> OutputShape => IsBuilt ? [_geometry.OutputHeight, _geometry.OutputWidth, Filters] : [OutputDim];

    /// <inheritdoc />
    public override string KindName => "Conv2D";

    /// <summary>The kernel's shape in Keras's layout, (kh, kw, C/groups, filters) (empty until built).</summary>
    public IReadOnlyList<int> KernelShape => IsBuilt ? [KernelSize.Height, KernelSize.Width, _geometry.Channels / Groups, Filters] : [];

    /// <summary>The kernel fans: fan_in = kh·kw·C/groups, fan_out = kh·kw·filters (Keras and PyTorch agree).</summary>
    public Fans KernelFans => Fans.FromShape(KernelShape, WeightLayout.Keras);

    /// <summary>W in Keras layout (kh, kw, C/groups, filters), row-major. Writable: initializers change it in place.</summary>
    public Span<float> Kernel => _kernel;

    /// <summary>b, one per filter (empty without bias).</summary>
    public Span<float> Bias => _bias;

    /// <summary>∂loss/∂W of the last backward pass.</summary>
    public ReadOnlySpan<float> KernelGradient => _kernelGradient;

    /// <summary>∂loss/∂b of the last backward pass.</summary>
    public ReadOnlySpan<float> BiasGradient => _biasGradient;

    /// <summary>z = conv(x, W) + b of the last forward pass (rows×OH×OW×filters).</summary>
    public ReadOnlySpan<float> PreActivation => _preActivation.AsSpan(0, BatchRows * OutputDim);

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal ConvolutionGeometry Geometry => _geometry;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        (int height, int width, int channels) = ConvolutionArguments.ImageShape(this, inputDim);
        if (channels % Groups != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Conv2D '{Name}': groups ({Groups}) must divide the input channels, got {channels} channels (shape [{height}, {width}, {channels}])."), nameof(inputDim));
        }
        bool same = Padding == ConvolutionPadding.Same;
        (int outputHeight, int padTop) = ConvolutionGeometry.Axis(height, KernelSize.Height, Strides.Height, DilationRate.Height, same);
        (int outputWidth, int padLeft) = ConvolutionGeometry.Axis(width, KernelSize.Width, Strides.Width, DilationRate.Width, same);
        if (outputHeight < 1 || outputWidth < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Conv2D '{Name}': a {KernelSize.Height}×{KernelSize.Width} window (dilation {DilationRate.Height}×{DilationRate.Width}) does not fit a {height}×{width} image with \"valid\" padding; use padding \"same\" or a smaller kernel or dilation."),
                nameof(inputDim));
        }
        _geometry = new ConvolutionGeometry(height, width, channels, KernelSize.Height, KernelSize.Width, Strides.Height, Strides.Width,
            DilationRate.Height, DilationRate.Width, padTop, padLeft, outputHeight, outputWidth);
        long outputDim = (long)outputHeight * outputWidth * Filters;
        long weights = (long)_geometry.Taps * (channels / Groups) * Filters;
        if (outputDim > Array.MaxLength || weights > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, string.Create(CultureInfo.InvariantCulture,
                $"Conv2D '{Name}': {outputDim} outputs per row or {weights} weights do not fit one array."));
        }
        InputDim = inputDim;
        _outputDim = (int)outputDim;
        _kernel = new float[weights];
        _kernelGradient = new float[weights];
        _bias = UseBias ? new float[Filters] : [];
        _biasGradient = UseBias ? new float[Filters] : [];
        if (Groups > 1)
        {
            _groupKernel = new float[weights];
            _groupKernelGradient = new float[weights / Groups];
        }
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

    private bool IsPointwise => Groups == 1 && _geometry.IsPointwise;

    private int GroupTaps => _geometry.Taps * (_geometry.Channels / Groups);

    internal override void EnsureCapacity(int rows)
    {
        long positions = (long)rows * _geometry.Positions;
        if (positions * Math.Max(Filters, GroupTaps * Groups) > Array.MaxLength || (long)rows * InputDim > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, string.Create(CultureInfo.InvariantCulture,
                $"Conv2D '{Name}': a batch of {rows} rows needs buffers larger than one array; use smaller batches."));
        }
        int needed = rows * OutputDim;
        if (_output.Length < needed)
        {
            _preActivation = new float[needed];
            _output = new float[needed];
            _outputGradient = new float[needed];
            _preActivationGradient = new float[needed];
            _patches = IsPointwise ? [] : new float[positions * GroupTaps * Groups];
            _columnGradient = IsPointwise ? [] : new float[positions * GroupTaps];
            _groupOutput = Groups > 1 ? new float[positions * (Filters / Groups)] : [];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        int positions = rows * _geometry.Positions;
        Span<float> z = _preActivation.AsSpan(0, positions * Filters);
        if (Groups == 1)
        {
            float[] patches = input;
            if (!IsPointwise)
            {
                _patchWork.Pack(input, rows, _geometry, 0, _geometry.Channels, _patches, threads);
                patches = _patches;
            }
            Gemm.Multiply(patches, false, _kernel, false, z, positions, Filters, GroupTaps, accumulate: false, threads);
        }
        else
        {
            ForwardGroups(input, rows, positions, z, threads);
        }
        ConvolutionArguments.BiasActivation(z, _bias, _output, positions, Filters, Activation);
    }

    /// <summary>Per group g: its patches (channels g·C/G…), its kernel columns packed contiguous, one GEMM, and the result
    /// scattered into filters g·F/G… of z. The group's im2col runs on this thread (the GEMMs still use the threads).</summary>
    private void ForwardGroups(float[] input, int rows, int positions, Span<float> z, int threads)
    {
        int groupChannels = _geometry.Channels / Groups;
        int groupFilters = Filters / Groups;
        int groupTaps = GroupTaps;
        PackGroupKernels();
        for (int g = 0; g < Groups; g++)
        {
            Span<float> patches = _patches.AsSpan(g * positions * groupTaps, positions * groupTaps);
            Im2Col.Pack(input, 0, rows, _geometry, g * groupChannels, groupChannels, patches);
            Span<float> groupOutput = _groupOutput.AsSpan(0, positions * groupFilters);
            Gemm.Multiply(patches, false, _groupKernel.AsSpan(g * groupTaps * groupFilters, groupTaps * groupFilters), false, groupOutput,
                positions, groupFilters, groupTaps, accumulate: false, threads);
            for (int p = 0; p < positions; p++)
            {
                groupOutput.Slice(p * groupFilters, groupFilters).CopyTo(z.Slice(p * Filters + g * groupFilters, groupFilters));
            }
        }
    }

    /// <summary>Copies each group's kernel columns (kh·kw·C/G rows × F/G columns of the (kh·kw·C/G)×F kernel) into a
    /// contiguous block of <see cref="_groupKernel"/>, group after group.</summary>
    private void PackGroupKernels()
    {
        int groupFilters = Filters / Groups;
        int groupTaps = GroupTaps;
        for (int g = 0; g < Groups; g++)
        {
            for (int t = 0; t < groupTaps; t++)
            {
                _kernel.AsSpan(t * Filters + g * groupFilters, groupFilters)
                    .CopyTo(_groupKernel.AsSpan((g * groupTaps + t) * groupFilters, groupFilters));
            }
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        int positions = rows * _geometry.Positions;
        Span<float> dz = _preActivationGradient.AsSpan(0, positions * Filters);
        ConvolutionArguments.ActivationBiasGradient(_preActivation, _output, _outputGradient, dz, _biasGradient, positions, Filters, Activation);
        if (Groups > 1)
        {
            BackwardGroups(inputGradient, rows, positions, threads);
            return;
        }
        int taps = GroupTaps;
        float[] patches = IsPointwise ? _input : _patches;
        // dW = patchesᵀ·dz, dx = col2im(dz·Wᵀ).
        Gemm.Multiply(patches, true, dz, false, _kernelGradient, taps, Filters, positions, accumulate: false, threads);
        if (inputGradient is null)
        {
            return;
        }
        if (IsPointwise)
        {
            Gemm.Multiply(dz, false, _kernel, true, inputGradient, positions, _geometry.Channels, Filters, accumulate: false, threads);
            return;
        }
        Gemm.Multiply(dz, false, _kernel, true, _columnGradient, positions, taps, Filters, accumulate: false, threads);
        inputGradient.AsSpan(0, rows * InputDim).Clear();
        _patchWork.UnpackAdd(_columnGradient, rows, _geometry, 0, _geometry.Channels, inputGradient, threads);
    }

    /// <summary>Per group: its filters' dz gathered contiguous, dW_g = patches_gᵀ·dz_g scattered into the kernel gradient's
    /// columns, and dx's channels of the group += col2im(dz_g·W_gᵀ).</summary>
    private void BackwardGroups(float[]? inputGradient, int rows, int positions, int threads)
    {
        int groupChannels = _geometry.Channels / Groups;
        int groupFilters = Filters / Groups;
        int groupTaps = GroupTaps;
        if (inputGradient is not null)
        {
            inputGradient.AsSpan(0, rows * InputDim).Clear();
        }
        Span<float> groupGradient = _groupOutput.AsSpan(0, positions * groupFilters);
        for (int g = 0; g < Groups; g++)
        {
            for (int p = 0; p < positions; p++)
            {
                _preActivationGradient.AsSpan(p * Filters + g * groupFilters, groupFilters).CopyTo(groupGradient.Slice(p * groupFilters, groupFilters));
            }
            Span<float> patches = _patches.AsSpan(g * positions * groupTaps, positions * groupTaps);
            Gemm.Multiply(patches, true, groupGradient, false, _groupKernelGradient, groupTaps, groupFilters, positions, accumulate: false, threads);
            for (int t = 0; t < groupTaps; t++)
            {
                _groupKernelGradient.AsSpan(t * groupFilters, groupFilters).CopyTo(_kernelGradient.AsSpan(t * Filters + g * groupFilters, groupFilters));
            }
            if (inputGradient is null)
            {
                continue;
            }
            Gemm.Multiply(groupGradient, false, _groupKernel.AsSpan(g * groupTaps * groupFilters, groupTaps * groupFilters), true,
                _columnGradient, positions, groupTaps, groupFilters, accumulate: false, threads);
            Im2Col.UnpackAdd(_columnGradient, 0, rows, _geometry, g * groupChannels, groupChannels, inputGradient);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Conv2D '{Name}' [{string.Join(", ", InputShape)}]→[{string.Join(", ", OutputShape)}] {Filters} filters {KernelSize.Height}×{KernelSize.Width}, stride {Strides.Height}×{Strides.Width}, {Padding.ToString().ToLowerInvariant()}, dilation {DilationRate.Height}×{DilationRate.Width}, groups {Groups}, {Activation.Name}, kernel {KernelInitializer.Name}, bias {(UseBias ? BiasInitializer.Name : "none")}");
}
