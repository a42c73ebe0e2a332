using System.Globalization;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Training;

/// <summary>
/// A stack of layers (<see cref="Dense"/>, normalization, residual blocks, activations) trained by the loop the tutorial describes: initialise the parameters, pick an
/// optimizer, then repeat forward → cost → backward → update. Layer i draws its initial weights from stream i of the
/// model's generator, so the same seed gives the same bits whatever else changes.
/// </summary>
public sealed partial class Sequential
{
    private readonly List<Layer> _layers;
    private Dense[] _denseLayers = [];
    private Parameter[] _parameters = [];
    private int[] _parameterCounts = [];
    private float[]? _lastForwardInput;
    private float[] _batchInput = [];
    private float[] _batchTarget = [];

    /// <summary>Creates and builds a model.</summary>
    /// <param name="inputDim">Features per sample, ≥ 1.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    public Sequential(int inputDim, IEnumerable<Layer> layers, ulong seed = 1)
        : this([inputDim], layers, seed, initialize: true)
    {
    }

    /// <summary>Creates and builds a model whose rows have a shape, e.g. [8, 8, 1] for 8×8 one-channel images in Keras's
    /// channels-last layout (what convolutions read; the data's rows are that shape flattened, row-major).</summary>
    /// <param name="inputShape">The shape of one input row; every dimension ≥ 1.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    public Sequential(IReadOnlyList<int> inputShape, IEnumerable<Layer> layers, ulong seed = 1)
        : this(inputShape, layers, seed, initialize: true)
    {
    }

    /// <summary>Creates a model whose weights are allocated as zeros without running any initializer, for a loader that
    /// copies saved weights in (a file's initializer may need data, like LSUV, or be costly, like orthogonal).</summary>
    /// <param name="inputDim">Features per sample, ≥ 1.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <param name="seed">The seed the saved model was created with; kept as <see cref="Seed"/>, no draw uses it.</param>
    /// <returns>The model, built, with zero weights.</returns>
    public static Sequential Uninitialized(int inputDim, IEnumerable<Layer> layers, ulong seed) =>
        new([inputDim], layers, seed, initialize: false);

    /// <summary>As <see cref="Uninitialized(int, IEnumerable{Layer}, ulong)"/>, for rows of shape <paramref name="inputShape"/>.</summary>
    /// <param name="inputShape">The shape of one input row.</param>
    /// <param name="layers">The layers, first to last.</param>
    /// <param name="seed">The seed the saved model was created with.</param>
    /// <returns>The model, built, with zero weights.</returns>
    public static Sequential Uninitialized(IReadOnlyList<int> inputShape, IEnumerable<Layer> layers, ulong seed) =>
        new(inputShape, layers, seed, initialize: false);

    private Sequential(IReadOnlyList<int> inputShape, IEnumerable<Layer> layers, ulong seed, bool initialize)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(inputShape);
        int inputDim = Layer.ShapeSize(inputShape);
        if (inputDim < 1 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), Tensor.FormatShape(inputShape),
                $"Sequential: every input dimension must be >= 1 (and the row must fit one array), got {Tensor.FormatShape(inputShape)}.");
        }
        _layers = [.. layers];
        if (_layers.Count == 0)
        {
            throw new ArgumentException("Sequential: a model needs at least one layer.", nameof(layers));
        }
        if (_layers.Any(l => l is null))
        {
            throw new ArgumentException("Sequential: a layer is null.", nameof(layers));
        }
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (Layer layer in Flatten(_layers))
        {
            if (!seen.Add(layer))
            {
                throw new ArgumentException($"Sequential: the layer '{layer.Name}' ({layer.KindName}) appears twice; a layer owns its weights and buffers, so create one object per place.", nameof(layers));
            }
        }
        InputDim = inputDim;
        InputShape = [.. inputShape];
        Seed = seed;
        Build(initialize ? new Rng(seed) : null);
    }

    /// <summary>Features per sample (the product of <see cref="InputShape"/>).</summary>
    public int InputDim { get; }

    /// <summary>The shape of one input row ([InputDim] unless the model was made with a shape).</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Output width (of the last layer).</summary>
    public int OutputDim => _layers[^1].OutputDim;

    /// <summary>The seed the weights were initialised from.</summary>
    public ulong Seed { get; private set; }

    /// <summary>The layers, first to last (a residual block is one layer; its own layers are its <see cref="Layer.Sublayers"/>).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every <see cref="Dense"/> layer in forward order, including those inside blocks: what the per-layer
    /// diagnostics, LSUV and the signal-propagation theory look at. For a plain Dense stack, the same as <see cref="Layers"/>.</summary>
    public IReadOnlyList<Dense> DenseLayers => _denseLayers;

    /// <summary>Whether every layer is a top-level <see cref="Dense"/> (the plain stacks of the tutorial).</summary>
    public bool IsPlainDenseStack => _layers.All(l => l is Dense);

    /// <summary>Every layer in forward order, each block before the layers inside it.</summary>
    public IEnumerable<Layer> AllLayers => Flatten(_layers);

    private static IEnumerable<Layer> Flatten(IEnumerable<Layer> layers)
    {
        foreach (Layer layer in layers)
        {
            yield return layer;
            foreach (Layer inner in Flatten(layer.Sublayers))
            {
                yield return inner;
            }
        }
    }

    /// <summary>Threads the kernels may use (results are bit-identical for any value).</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>All trainable tensors (kernel and bias of each layer), in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Re-draws every layer's weights from its initializers with <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    public void Initialize(ulong seed)
    {
        Seed = seed;
        Build(new Rng(seed));
    }

    /// <summary>Names and builds every layer: weights drawn from <paramref name="rng"/>, or zeros when it is null.</summary>
    private void Build(Rng? rng)
    {
        IReadOnlyList<int> shape = InputShape;
        var parameters = new List<Parameter>();
        var counts = new int[_layers.Count];
        for (int i = 0; i < _layers.Count; i++)
        {
            Layer layer = _layers[i];
            if (string.IsNullOrEmpty(layer.Name))
            {
                layer.Name = DefaultName(layer, i);
            }
            layer.Build(shape, rng?.Fork((ulong)i));
            int before = parameters.Count;
            layer.CollectParameters(parameters);
            counts[i] = parameters.Count - before;
            shape = layer.OutputShape;
        }
        _parameterCounts = counts;
        _parameters = [.. parameters];
        _denseLayers = [.. Flatten(_layers).OfType<Dense>()];
        // Loaded weights (no rng) are the saved ones, already calibrated: only a fresh draw needs the LSUV data step.
        LsuvPending = rng is not null && _denseLayers.Any(l => l.KernelInitializer is Lsuv);
    }

    /// <summary>Keras-style default name: the class name in snake case and the position, e.g. dense_0, batch_normalization_3
    /// (a plain stack's layers keep the names dense_0, dense_1, … they always had).</summary>
    internal static string DefaultName(Layer layer, int position)
    {
        // Keras's to_snake_case: MaxPooling2D → max_pooling2d, LSTM → lstm, SimpleRNN → simple_rnn, BatchNormalization →
        // batch_normalization.
        string snake = CamelWord().Replace(layer.KindName, "$1_$2");
        snake = LowerUpper().Replace(snake, "$1_$2").ToLowerInvariant();
        return string.Create(CultureInfo.InvariantCulture, $"{snake}_{position}");
    }

    [System.Text.RegularExpressions.GeneratedRegex("(.)([A-Z][a-z0-9]+)")]
    private static partial System.Text.RegularExpressions.Regex CamelWord();

    [System.Text.RegularExpressions.GeneratedRegex("([a-z])([A-Z])")]
    private static partial System.Text.RegularExpressions.Regex LowerUpper();

    /// <summary>
    /// True when a layer's kernel initializer is <see cref="Lsuv"/> and its data step has not run since the weights were
    /// drawn (<see cref="Initialize"/>). The first <see cref="Fit"/> calibrates then clears it, as does
    /// <see cref="LsuvCalibrator.Calibrate"/>; later fits leave the (trained) weights alone. Loading a model clears it.
    /// </summary>
    public bool LsuvPending { get; internal set; }

    /// <summary>Runs the network on <paramref name="x"/> (rows×InputDim) and returns the outputs (rows×OutputDim),
    /// after the last activation.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <returns>The outputs.</returns>
    public Tensor Predict(Tensor x, int batchSize = 256)
    {
        int rows = CheckInput(x, nameof(x));
        var result = new float[rows * OutputDim];
        ForEachBatch(x.Data, rows, batchSize, (start, count) =>
            _layers[^1].Output.CopyTo(result.AsSpan(start * OutputDim, count * OutputDim)));
        return new Tensor(result, rows, OutputDim);
    }

    /// <summary>One forward pass of <paramref name="rows"/> rows already in <paramref name="input"/>.</summary>
    internal void Forward(float[] input, int rows, PassMode mode)
    {
        _lastForwardInput = input;
        float[] current = input;
        foreach (Layer layer in _layers)
        {
            layer.Forward(current, rows, mode, Threads);
            current = layer.OutputArray;
        }
    }

    /// <summary>Back-propagates from the last layer (its output- or pre-activation-gradient buffer already filled);
    /// ∂loss/∂x goes to <paramref name="modelInputGradient"/> when given (rows×InputDim). With <paramref name="updater"/>
    /// (after its <see cref="Optimizer.BeginStep"/>), each layer's kernel and bias are updated as soon as the layer is
    /// done — its gradients are final and no earlier layer reads its weights — while they are still in cache, instead of
    /// in a separate pass over every weight after the whole backward pass.</summary>
    internal void Backward(bool lastGradientIsPreActivation, float[]? modelInputGradient = null, Optimizer? updater = null)
    {
        int parameter = _parameters.Length;
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            Layer layer = _layers[i];
            float[]? inputGradient = i > 0 ? _layers[i - 1].OutputGradientArray : modelInputGradient;
            if (layer is Dense dense && i == _layers.Count - 1 && lastGradientIsPreActivation)
            {
                dense.Backward(true, inputGradient, Threads);
            }
            else
            {
                layer.Backward(inputGradient, Threads);
            }
            if (updater is not null)
            {
                // The layer's parameters (its own, then its sublayers') are contiguous, in layer order (Build).
                int count = _parameterCounts[i];
                parameter -= count;
                for (int p = 0; p < count; p++)
                {
                    updater.StepParameter(parameter + p);
                }
            }
        }
    }

    /// <summary>Backward pass and optimizer update of one training step: layer by layer (<see cref="Backward(bool, float[], Optimizer)"/> with an
    /// updater) for the built-in optimizers on one thread, else the whole backward pass and then <see cref="Optimizer.Step"/>.
    /// The same bits either way.</summary>
    /// <remarks>Measured on Zen 4 (same-process A/B, 15 alternating pairs): on 1 thread layer by layer is 3.1–3.5 % faster
    /// for W3 (17.2 vs 17.7 ms), 0.6–1.2 % for W2, ±1 % for W4; on 2 threads it was 1.5–7 % slower (the update, too small
    /// to split, then runs between two parallel multiplies while the worker waits), so 2 threads keep the separate pass.</remarks>
    internal void BackwardAndUpdate(bool lastGradientIsPreActivation, Optimizer optimizer)
    {
        optimizer.Threads = Threads;
        if (UpdateLayerByLayer && Threads == 1 && optimizer.UpdatesElementwise)
        {
            optimizer.BeginStep(_parameters);
            Backward(lastGradientIsPreActivation, null, optimizer);
            return;
        }
        Backward(lastGradientIsPreActivation);
        optimizer.Step(_parameters);
    }

    /// <summary>Whether <see cref="BackwardAndUpdate"/> updates each layer right after its backward pass on one thread (the
    /// default); off is the reference and the A/B baseline.</summary>
    internal bool UpdateLayerByLayer { get; set; } = true;

    private void ForEachBatch(float[] data, int rows, int batchSize, Action<int, int> consume)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        EnsureBatchBuffers(Math.Min(batchSize, Math.Max(rows, 1)), 0);
        for (int start = 0; start < rows; start += batchSize)
        {
            int count = Math.Min(batchSize, rows - start);
            data.AsSpan(start * InputDim, count * InputDim).CopyTo(_batchInput);
            Forward(_batchInput, count, PassMode.Infer);
            consume(start, count);
        }
    }

    private void EnsureBatchBuffers(int rows, int targetWidth)
    {
        if (_batchInput.Length < rows * InputDim)
        {
            _batchInput = new float[rows * InputDim];
        }
        if (_batchTarget.Length < rows * targetWidth)
        {
            _batchTarget = new float[rows * targetWidth];
        }
        foreach (Layer layer in _layers)
        {
            layer.EnsureCapacity(rows);
        }
    }

    private int CheckInput(Tensor x, string argument)
    {
        ArgumentNullException.ThrowIfNull(x, argument);
        if (x.Rank != 2 || x.Shape[1] != InputDim)
        {
            throw new ArgumentException(
                $"Sequential: input shape {Tensor.FormatShape(x.Shape)} does not fit the first layer, which expects [rows, {InputDim}] " +
                $"(the data has {(x.Rank == 2 ? x.Shape[1] : x.Length)} features, the model's first width is {InputDim}).", argument);
        }
        return x.Shape[0];
    }

    /// <inheritdoc />
    public override string ToString() => $"Sequential({InputDim} → {string.Join(" → ", _layers.Select(Describe))})";

    private static string Describe(Layer layer) => layer switch
    {
        Dense d => $"{d.Units} {d.Activation.Name}",
        _ when layer.Sublayers.Count > 0 => $"{layer.KindName}[{string.Join(" → ", layer.Sublayers.Select(Describe))}]",
        _ => layer.KindName,
    };
}
