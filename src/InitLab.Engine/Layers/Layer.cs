using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// One step of a <see cref="Training.Sequential"/> model: rows×<see cref="InputDim"/> in, rows×<see cref="OutputDim"/>
/// out. A layer owns and reuses its buffers, so a training step allocates nothing once they exist; the next layer writes
/// ∂loss/∂output into this layer's output-gradient buffer, and <see cref="Backward"/> writes ∂loss/∂input into the
/// previous layer's.
/// </summary>
public abstract class Layer
{
    /// <summary>The layer's name (Keras style, e.g. dense_3; set by the model when not given). Parameters are named
    /// name/kernel, name/gamma, …; a layer inside a block is named block/name.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>Input width (0 until built).</summary>
    public int InputDim { get; private protected set; }

    /// <summary>Output width (known before the layer is built for every layer except those that keep their input's width,
    /// which know it once built).</summary>
    public abstract int OutputDim { get; }

    /// <summary>The shape of one input row, e.g. [64] for features or [8, 8, 1] for an image in Keras's channels-last
    /// layout (height, width, channels); its product is <see cref="InputDim"/>. Empty until built.</summary>
    public IReadOnlyList<int> InputShape { get; private set; } = [];

    /// <summary>The shape of one output row (its product is <see cref="OutputDim"/>): [OutputDim] unless the layer says
    /// otherwise (convolutions and pooling keep height, width and channels; width-keeping layers pass their input's shape).</summary>
    public virtual IReadOnlyList<int> OutputShape => IsBuilt && KeepsShape ? InputShape : [OutputDim];

    /// <summary>Whether the output has the input's shape (normalization, activation, scalar bias): then
    /// <see cref="OutputShape"/> is <see cref="InputShape"/>.</summary>
    private protected virtual bool KeepsShape => false;

    /// <summary>Whether the layer has been built (its weights and widths exist).</summary>
    public bool IsBuilt => InputDim > 0;

    /// <summary>The Keras class name, e.g. Dense, BatchNormalization.</summary>
    public abstract string KindName { get; }

    /// <summary>Rows of the last forward pass.</summary>
    public int BatchRows { get; private protected set; }

    /// <summary>The output of the last forward pass (rows×OutputDim).</summary>
    public ReadOnlySpan<float> Output => OutputArray.AsSpan(0, BatchRows * OutputDim);

    /// <summary>∂loss/∂output of the last backward pass (rows×OutputDim).</summary>
    public ReadOnlySpan<float> OutputGradient => OutputGradientArray.AsSpan(0, BatchRows * OutputDim);

    /// <summary>The layers this one is made of, in forward order (empty for a plain layer).</summary>
    public virtual IReadOnlyList<Layer> Sublayers => [];

    /// <summary>This layer's own trainable tensors, in the order the optimizer sees them (sublayers' come from them).</summary>
    public virtual IReadOnlyList<Parameter> OwnParameters => [];

    /// <summary>Non-trainable state saved with the model (batch normalization's running mean and variance), by name.</summary>
    public virtual IReadOnlyList<(string Name, float[] Values)> State => [];

    internal abstract float[] OutputArray { get; }

    internal abstract float[] OutputGradientArray { get; }

    internal Span<float> WritableOutputGradient(int rows) => OutputGradientArray.AsSpan(0, rows * OutputDim);

    /// <summary>Allocates the weights for <paramref name="inputDim"/> inputs and fills them from the initializers with
    /// <paramref name="rng"/> (this layer's stream), or leaves them zero when it is null (a loader fills them).</summary>
    internal abstract void BuildWeights(int inputDim, Rng? rng);

    /// <summary>Builds the layer for rows of shape <paramref name="inputShape"/>: records the shape, then
    /// <see cref="BuildWeights"/> with its product. What models and blocks call; a layer that needs the shape (a
    /// convolution) reads <see cref="InputShape"/> in its <see cref="BuildWeights"/>.</summary>
    internal void Build(IReadOnlyList<int> inputShape, Rng? rng)
    {
        InputShape = [.. inputShape];
        BuildWeights(ShapeSize(inputShape), rng);
    }

    /// <summary>The number of values in one row of <paramref name="shape"/> (0 for an empty shape).</summary>
    internal static int ShapeSize(IReadOnlyList<int> shape)
    {
        if (shape.Count == 0)
        {
            return 0;
        }
        long size = 1;
        foreach (int d in shape)
        {
            size *= d;
            if (d < 1 || size > Array.MaxLength)
            {
                return d < 1 ? d : int.MaxValue;
            }
        }
        return (int)size;
    }

    /// <summary>Grows the buffers to hold <paramref name="rows"/> rows (no-op when large enough).</summary>
    internal abstract void EnsureCapacity(int rows);

    /// <summary>Forward pass over <paramref name="rows"/> rows of <paramref name="input"/> (kept by reference for backward).</summary>
    internal abstract void Forward(float[] input, int rows, PassMode mode, int threads);

    /// <summary>Backward pass of the last forward pass: ∂loss/∂output is in <see cref="OutputGradientArray"/>; fills the
    /// parameters' gradients and writes ∂loss/∂input into <paramref name="inputGradient"/> unless it is null.</summary>
    internal abstract void Backward(float[]? inputGradient, int threads);

    /// <summary>Every trainable tensor of this layer and its sublayers, in the optimizer's order.</summary>
    internal virtual void CollectParameters(List<Parameter> into) => into.AddRange(OwnParameters);

    internal static void CheckInput(Layer layer, float[] input, int rows)
    {
        if (input.Length < rows * layer.InputDim)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"{layer.KindName} '{layer.Name}' ({layer.InputDim}→{layer.OutputDim}).Forward: input has {input.Length} values, expected {rows}×{layer.InputDim}."));
        }
    }

    internal static void CheckWidth(Layer layer, int inputDim)
    {
        if (inputDim < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, FormattableString.Invariant(
                $"{layer.KindName} '{layer.Name}': input width must be >= 1, got {inputDim}."));
        }
    }
}
