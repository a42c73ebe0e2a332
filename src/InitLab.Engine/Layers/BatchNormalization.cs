using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Initializers;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy 2015) over the rows of a batch, per feature j:
/// x̂ = (x − μ_j)/√(σ²_j + ε), y = γ_j·x̂ + β_j. Training uses the batch's mean and (biased) variance and updates the
/// running ones, m ← m·momentum + μ·(1 − momentum); inference uses the running ones. Keras 3 defaults: momentum 0.99,
/// ε 1e-3, γ ones, β zeros, running mean zeros, running variance ones.
/// </summary>
/// <remarks>Rows with a shape of rank ≥ 2 (an H×W×C image, channels-last) are normalized along the last axis, as Keras's
/// <c>axis=-1</c> does (PyTorch's <c>BatchNorm2d</c> on NCHW): one feature per channel, its statistics taken over
/// rows×H×W values, so γ, β and the running statistics have C entries. The data is then read as (rows·H·W)×C, which is
/// exactly the rank-1 computation with rows·H·W rows; rank-1 rows keep one feature per value.</remarks>
/// <remarks>PyTorch's <c>BatchNorm1d</c> differs in three ways: its momentum is the weight of the new value
/// (<c>momentum=0.1</c> is Keras's 0.9), ε is 1e-5, and its running variance takes the unbiased batch variance
/// (×N/(N−1)); Keras, and this layer, keep the biased one. Both normalize with the biased variance in training.</remarks>
public sealed class BatchNormalization : Layer
{
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _gammaGradient = [];
    private float[] _betaGradient = [];
    private float[] _movingMean = [];
    private float[] _movingVariance = [];
    private float[] _mean = [];
    private float[] _inverseStd = [];
    private float[] _scratch = [];
    private float[] _normalized = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private Parameter[] _parameters = [];
    private PassMode _lastMode;
    private int _features;
    private int _positions = 1;

    /// <summary>Creates the layer (Keras defaults).</summary>
    /// <param name="momentum">Weight of the old running statistics, in [0, 1) (Keras 0.99).</param>
    /// <param name="epsilon">ε added to the variance, finite and &gt; 0 (Keras 1e-3).</param>
    /// <param name="gammaInitializer">γ's initializer (default ones; zero-γ residual init uses zeros).</param>
    /// <param name="betaInitializer">β's initializer (default zeros).</param>
    /// <param name="name">Name (default batch_normalization_i, set by the model).</param>
    public BatchNormalization(double momentum = 0.99, double epsilon = 1e-3, IInitializer? gammaInitializer = null,
        IInitializer? betaInitializer = null, string? name = null)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, string.Create(CultureInfo.InvariantCulture,
                $"BatchNormalization: momentum must be in [0, 1) (the weight of the old running statistics; Keras's default is 0.99, PyTorch's momentum=0.1 is 0.9 here), got {momentum}."));
        }
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, string.Create(CultureInfo.InvariantCulture,
                $"BatchNormalization: epsilon must be finite and > 0 (Keras's default is 1e-3, PyTorch's 1e-5), got {epsilon}."));
        }
        Momentum = momentum;
        Epsilon = epsilon;
        GammaInitializer = gammaInitializer ?? new Constant(1, "ones");
        BetaInitializer = betaInitializer ?? new Constant(0, "zeros");
        Name = name ?? string.Empty;
    }

    /// <summary>Weight of the old running statistics.</summary>
    public double Momentum { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>γ's initializer.</summary>
    public IInitializer GammaInitializer { get; }

    /// <summary>β's initializer.</summary>
    public IInitializer BetaInitializer { get; }

    /// <inheritdoc />
    public override int OutputDim => InputDim;

    /// <inheritdoc />
    private protected override bool KeepsShape => true;

    /// <inheritdoc />
    public override string KindName => "BatchNormalization";

    /// <summary>Features normalized separately: the channels (last axis) for shaped rows, else the input width.</summary>
    public int Features => _features;

    /// <summary>γ, per feature (writable: residual inits set it).</summary>
    public Span<float> Gamma => _gamma;

    /// <summary>β, per feature.</summary>
    public Span<float> Beta => _beta;

    /// <summary>The running mean (writable: a loader fills it).</summary>
    public Span<float> MovingMean => _movingMean;

    /// <summary>The running (biased) variance.</summary>
    public Span<float> MovingVariance => _movingVariance;

    /// <summary>x̂ of the last forward pass (rows×width): what the layer feeds γ and β.</summary>
    public ReadOnlySpan<float> Normalized => _normalized.AsSpan(0, BatchRows * InputDim);

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, float[] Values)> State => [("moving_mean", _movingMean), ("moving_variance", _movingVariance)];

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
        // Keras axis=-1: the last axis of a shaped row (an image's channels); a plain row's every value.
        bool shaped = InputShape.Count >= 2 && ShapeSize(InputShape) == inputDim;
        int features = shaped ? InputShape[^1] : inputDim;
        _features = features;
        _positions = inputDim / features;
        _gamma = new float[features];
        _beta = new float[features];
        _gammaGradient = new float[features];
        _betaGradient = new float[features];
        _movingMean = new float[features];
        _movingVariance = new float[features];
        _mean = new float[features];
        _inverseStd = new float[features];
        _scratch = new float[3 * features];
        // γ and β are not shrunk by weight decay (IsBias): the common practice (timm, the GPT and BERT recipes).
        _parameters = [new Parameter(Name + "/gamma", _gamma, _gammaGradient, IsBias: true), new Parameter(Name + "/beta", _beta, _betaGradient, IsBias: true)];
        if (rng is null)
        {
            return;
        }
        var fans = new Fans(features, features);
        GammaInitializer.Fill(_gamma, [features], fans, rng.Fork(0));
        BetaInitializer.Fill(_beta, [features], fans, rng.Fork(1));
        _movingVariance.AsSpan().Fill(1);
    }

    internal override void EnsureCapacity(int rows)
    {
        int needed = rows * InputDim;
        if (_output.Length < needed)
        {
            _normalized = new float[needed];
            _output = new float[needed];
            _outputGradient = new float[needed];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        BatchRows = rows;
        _lastMode = mode;
        int width = _features;
        int samples = rows * _positions;
        Span<float> mean = _mean;
        Span<float> inverseStd = _inverseStd;
        if (mode == PassMode.Infer)
        {
            _movingMean.CopyTo(mean);
            for (int j = 0; j < width; j++)
            {
                inverseStd[j] = (float)(1 / Math.Sqrt(_movingVariance[j] + Epsilon));
            }
        }
        else
        {
            BatchStatistics(input, samples, mean, inverseStd);
        }
        for (int r = 0; r < samples; r++)
        {
            Span<float> xhat = _normalized.AsSpan(r * width, width);
            TensorPrimitives.Subtract(input.AsSpan(r * width, width), mean, xhat);
            TensorPrimitives.Multiply(xhat, inverseStd, xhat);
            TensorPrimitives.FusedMultiplyAdd(xhat, _gamma, _beta, _output.AsSpan(r * width, width));
        }
    }

    /// <summary>μ and 1/√(σ² + ε) over the <paramref name="rows"/> samples of each feature (rows·H·W for images), both
    /// passes in row order (the same bits for any thread count); the running statistics move towards them in training.</summary>
    private void BatchStatistics(float[] input, int rows, Span<float> mean, Span<float> inverseStd)
    {
        int width = _features;
        mean.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(mean, input.AsSpan(r * width, width), mean);
        }
        TensorPrimitives.Multiply(mean, 1f / rows, mean);
        // Σ(x − μ)² into inverseStd as scratch, with x − μ in the normalized buffer's first row.
        Span<float> centred = _normalized.AsSpan(0, width);
        inverseStd.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(input.AsSpan(r * width, width), mean, centred);
            TensorPrimitives.FusedMultiplyAdd(centred, centred, inverseStd, inverseStd);
        }
        float keep = (float)Momentum;
        float take = (float)(1 - Momentum);
        for (int j = 0; j < width; j++)
        {
            float variance = inverseStd[j] / rows;
            if (_lastMode == PassMode.Train)
            {
                _movingMean[j] = _movingMean[j] * keep + mean[j] * take;
                _movingVariance[j] = _movingVariance[j] * keep + variance * take;
            }
            inverseStd[j] = (float)(1 / Math.Sqrt(variance + Epsilon));
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows * _positions;
        int width = _features;
        Span<float> dGamma = _gammaGradient;
        Span<float> dBeta = _betaGradient;
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dy = _outputGradient.AsSpan(r * width, width);
            TensorPrimitives.Add(dBeta, dy, dBeta);
            TensorPrimitives.FusedMultiplyAdd(dy, _normalized.AsSpan(r * width, width), dGamma, dGamma);
        }
        if (inputGradient is null)
        {
            return;
        }
        if (_lastMode == PassMode.Infer)
        {
            // The statistics are constants: dx = dy·γ/√(v + ε).
            for (int r = 0; r < rows; r++)
            {
                Span<float> dx = inputGradient.AsSpan(r * width, width);
                TensorPrimitives.Multiply(_outputGradient.AsSpan(r * width, width), _gamma, dx);
                TensorPrimitives.Multiply(dx, _inverseStd, dx);
            }
            return;
        }
        // Through the batch statistics: dx = γ·s/N·(N·dy − Σdy − x̂·Σ(dy·x̂)), with s = 1/√(σ² + ε), Σdy = dβ, Σ(dy·x̂) = dγ.
        float n = rows;
        Span<float> coefficient = _scratch.AsSpan(0, width);
        Span<float> minusDBeta = _scratch.AsSpan(width, width);
        Span<float> minusDGamma = _scratch.AsSpan(2 * width, width);
        TensorPrimitives.Multiply(_gamma, _inverseStd, coefficient);
        TensorPrimitives.Multiply(coefficient, 1 / n, coefficient);
        TensorPrimitives.Negate(dBeta, minusDBeta);
        TensorPrimitives.Negate(dGamma, minusDGamma);
        for (int r = 0; r < rows; r++)
        {
            Span<float> dx = inputGradient.AsSpan(r * width, width);
            TensorPrimitives.MultiplyAdd(_outputGradient.AsSpan(r * width, width), n, minusDBeta, dx);
            TensorPrimitives.FusedMultiplyAdd(_normalized.AsSpan(r * width, width), minusDGamma, dx, dx);
            TensorPrimitives.Multiply(dx, coefficient, dx);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"BatchNormalization '{Name}' {InputDim}{(_positions > 1 ? $" ({_features} channels)" : "")}, momentum {Momentum}, ε {Epsilon}, γ {GammaInitializer.Name}");
}
