using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// A residual block (He et al. 2016), y = s(x) + α·F(x): F is the branch, a list of layers run in order; s is the
/// identity, or a projection (a <see cref="Dense"/> without bias) when F changes the width; α is fixed at 1 by default,
/// or a trainable scalar with its own starting value — SkipInit (De &amp; Smith 2020) and ReZero (Bachlechner et al. 2020)
/// start it at 0, so the block begins as the identity. Layers inside are named block/dense_0, block/dense_1, …
/// </summary>
public sealed class Residual : Layer
{
    private readonly Layer[] _branch;
    private Layer[] _sublayers;
    private readonly float[] _alpha = new float[1];
    private readonly float[] _alphaGradient = new float[1];
    private Parameter[] _parameters = [];
    private float[] _input = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _branchInputGradient = [];
    private float[] _shortcutInputGradient = [];
    private Dense? _projection;

    /// <summary>Creates a block.</summary>
    /// <param name="branch">F's layers, first to last (at least one).</param>
    /// <param name="alpha">α's starting value (default 1; SkipInit/ReZero 0).</param>
    /// <param name="trainableAlpha">Whether α is a trained scalar (SkipInit, ReZero, Fixup's multiplier) or fixed.</param>
    /// <param name="projection">The shortcut's projection when F changes the width (default: a Dense without bias,
    /// glorot_uniform, made when the block is built); must not be given when the widths agree unless wanted.</param>
    /// <param name="name">Name (default residual_i, set by the model).</param>
    public Residual(IEnumerable<Layer> branch, float alpha = 1, bool trainableAlpha = false, Dense? projection = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(branch);
        _branch = [.. branch];
        if (_branch.Length == 0)
        {
            throw new ArgumentException("Residual: the branch needs at least one layer, got 0; give the layers of F in y = x + α·F(x).", nameof(branch));
        }
        if (_branch.Any(l => l is null))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Residual: branch layer {Array.FindIndex(_branch, l => l is null)} is null; give a layer object for every position."), nameof(branch));
        }
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, string.Create(CultureInfo.InvariantCulture,
                $"Residual: alpha must be finite, got {alpha}. Use 1 for the plain residual y = x + F(x), 0 with trainableAlpha for SkipInit/ReZero."));
        }
        // A branch ending in a Dense knows its width now; one ending in a width-keeping layer is checked when built.
        int branchWidth = _branch[^1].OutputDim;
        if (projection is not null && branchWidth > 0 && projection.Units != branchWidth)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Residual: the projection has {projection.Units} units but the branch ends with width {branchWidth}; they are added, so they must agree (give the projection {branchWidth} units, or leave it out to get one made)."), nameof(projection));
        }
        InitialAlpha = alpha;
        TrainableAlpha = trainableAlpha;
        _projection = projection;
        _sublayers = projection is null ? _branch : [.. _branch, projection];
        Name = name ?? string.Empty;
    }

    /// <summary>The branch F, first to last.</summary>
    public IReadOnlyList<Layer> Branch => _branch;

    /// <summary>The shortcut's projection, or null for the identity.</summary>
    public Dense? Projection => _projection;

    /// <summary>α at initialisation.</summary>
    public float InitialAlpha { get; }

    /// <summary>Whether α is trained.</summary>
    public bool TrainableAlpha { get; }

    /// <summary>The current α, what the forward pass multiplies F(x) by (writable: a loader or a residual init sets it; it starts
    /// at <see cref="InitialAlpha"/>).</summary>
    public float Alpha
    {
        get => _alpha[0];
        set => _alpha[0] = value;
    }

    /// <inheritdoc />
    public override int OutputDim => _branch[^1].OutputDim;

    /// <inheritdoc />
    public override string KindName => "Residual";

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape => IsBuilt ? _branch[^1].OutputShape : [OutputDim];

    /// <inheritdoc />
    public override IReadOnlyList<Layer> Sublayers => _sublayers;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    /// <summary>F(x) of the last forward pass (rows×width), before α.</summary>
    public ReadOnlySpan<float> BranchOutput => _branch[^1].Output;

    /// <summary>s(x) of the last forward pass: the block's input, or its projection.</summary>
    public ReadOnlySpan<float> ShortcutOutput => _projection is null ? _input.AsSpan(0, BatchRows * InputDim) : _projection.Output;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
        IReadOnlyList<int> shape = InputShape.Count > 0 ? InputShape : [inputDim];
        for (int i = 0; i < _branch.Length; i++)
        {
            Layer layer = _branch[i];
            NameInside(layer, i);
            layer.Build(shape, rng?.Fork((ulong)i));
            shape = layer.OutputShape;
        }
        int width = _branch[^1].OutputDim;
        if (width != inputDim && _projection is null)
        {
            _projection = new Dense(width, useBias: false, name: Name + "/shortcut");
            _sublayers = [.. _branch, _projection];
        }
        if (_projection is not null)
        {
            if (_projection.Units != width)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Residual '{Name}': the projection has {_projection.Units} units but the branch ends with width {width}; they are added, so they must agree (give the projection {width} units, or leave it out to get one made)."));
            }
            if (string.IsNullOrEmpty(_projection.Name))
            {
                _projection.Name = Name + "/shortcut";
            }
            else if (!_projection.Name.StartsWith(Name + "/", StringComparison.Ordinal))
            {
                // A name the caller gave is kept, under the block's prefix like the branch's layers.
                _projection.Name = Name + "/" + _projection.Name;
            }
            // Stream 1000 + … keeps the branch's streams 0, 1, … whatever the shortcut.
            _projection.Build(InputShape.Count > 0 ? InputShape : [inputDim], rng?.Fork(1000));
        }
        // α starts at its configured value even for a loader (rng null): a fixed α is configuration, not a saved weight,
        // and a trained one is overwritten from the file.
        _alpha[0] = InitialAlpha;
        _alphaGradient[0] = 0;
        _parameters = TrainableAlpha ? [new Parameter(Name + "/alpha", _alpha, _alphaGradient, IsBias: false)] : [];
    }

    private void NameInside(Layer layer, int position)
    {
        string prefix = Name + "/";
        if (string.IsNullOrEmpty(layer.Name))
        {
            layer.Name = prefix + Training.Sequential.DefaultName(layer, position);
        }
        else if (!layer.Name.StartsWith(prefix, StringComparison.Ordinal))
        {
            layer.Name = prefix + layer.Name;
        }
    }

    internal override void CollectParameters(List<Parameter> into)
    {
        foreach (Layer layer in _branch)
        {
            layer.CollectParameters(into);
        }
        _projection?.CollectParameters(into);
        into.AddRange(_parameters);
    }

    internal override void EnsureCapacity(int rows)
    {
        foreach (Layer layer in _branch)
        {
            layer.EnsureCapacity(rows);
        }
        _projection?.EnsureCapacity(rows);
        int output = rows * OutputDim;
        if (_output.Length < output)
        {
            _output = new float[output];
            _outputGradient = new float[output];
        }
        int input = rows * InputDim;
        if (_branchInputGradient.Length < input)
        {
            _branchInputGradient = new float[input];
            _shortcutInputGradient = _projection is null ? [] : new float[input];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        float[] current = input;
        foreach (Layer layer in _branch)
        {
            layer.Forward(current, rows, mode, threads);
            current = layer.OutputArray;
        }
        int n = rows * OutputDim;
        // The identity shortcut is the input itself (same width); a projection's output has the branch's width, which may
        // be wider than the input, so the input is sliced only when it is the shortcut.
        ReadOnlySpan<float> shortcut;
        if (_projection is null)
        {
            shortcut = input.AsSpan(0, n);
        }
        else
        {
            _projection.Forward(input, rows, mode, threads);
            shortcut = _projection.Output;
        }
        ReadOnlySpan<float> branch = current.AsSpan(0, n);
        // α = 1 adds without the multiply (the same bits: 1·F is F); otherwise, and whenever α was set, the current α.
        if (_alpha[0] == 1)
        {
            TensorPrimitives.Add(shortcut, branch, _output.AsSpan(0, n));
        }
        else
        {
            TensorPrimitives.MultiplyAdd(branch, _alpha[0], shortcut, _output.AsSpan(0, n));
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        int n = rows * OutputDim;
        ReadOnlySpan<float> dy = _outputGradient.AsSpan(0, n);
        Layer last = _branch[^1];
        if (TrainableAlpha)
        {
            _alphaGradient[0] = TensorPrimitives.Dot(dy, last.Output);
        }
        // ∂/∂F = α·dy.
        Span<float> branchGradient = last.WritableOutputGradient(rows);
        if (_alpha[0] == 1)
        {
            dy.CopyTo(branchGradient);
        }
        else
        {
            TensorPrimitives.Multiply(dy, _alpha[0], branchGradient);
        }
        for (int i = _branch.Length - 1; i >= 0; i--)
        {
            float[]? below = i > 0 ? _branch[i - 1].OutputGradientArray : inputGradient is null ? null : _branchInputGradient;
            _branch[i].Backward(below, threads);
        }
        if (_projection is not null)
        {
            dy.CopyTo(_projection.WritableOutputGradient(rows));
            _projection.Backward(inputGradient is null ? null : _shortcutInputGradient, threads);
        }
        if (inputGradient is null)
        {
            return;
        }
        int m = rows * InputDim;
        ReadOnlySpan<float> shortcutGradient = _projection is null ? dy : _shortcutInputGradient.AsSpan(0, m);
        TensorPrimitives.Add(shortcutGradient, _branchInputGradient.AsSpan(0, m), inputGradient.AsSpan(0, m));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Residual '{Name}' {InputDim}→{OutputDim}, {_branch.Length} layers, α {(TrainableAlpha ? "trained from " : "")}{InitialAlpha}{(_projection is null ? "" : ", projection")}");
}
