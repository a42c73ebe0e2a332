using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Initializers;
using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Layer normalization (Ba, Kiros &amp; Hinton 2016) over the features of each row: x̂ = (x − μ_r)/√(σ²_r + ε),
/// y = γ·x̂ + β, with the row's mean and biased variance; the same in training and inference. Keras 3 defaults: ε 1e-3,
/// γ ones, β zeros (PyTorch's <c>nn.LayerNorm</c>: ε 1e-5).
/// </summary>
public sealed class LayerNormalization : Layer
{
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _gammaGradient = [];
    private float[] _betaGradient = [];
    private float[] _inverseStd = [];
    private float[] _normalized = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private float[] _scratch = [];
    private Parameter[] _parameters = [];

    /// <summary>Creates the layer (Keras defaults).</summary>
    /// <param name="epsilon">ε added to the variance, finite and &gt; 0 (Keras 1e-3).</param>
    /// <param name="gammaInitializer">γ's initializer (default ones).</param>
    /// <param name="betaInitializer">β's initializer (default zeros).</param>
    /// <param name="name">Name (default layer_normalization_i, set by the model).</param>
    public LayerNormalization(double epsilon = 1e-3, IInitializer? gammaInitializer = null, IInitializer? betaInitializer = null, string? name = null)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, string.Create(CultureInfo.InvariantCulture,
                $"LayerNormalization: epsilon must be finite and > 0 (Keras's default is 1e-3, PyTorch's 1e-5), got {epsilon}."));
        }
        Epsilon = epsilon;
        GammaInitializer = gammaInitializer ?? new Constant(1, "ones");
        BetaInitializer = betaInitializer ?? new Constant(0, "zeros");
        Name = name ?? string.Empty;
    }

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
    public override string KindName => "LayerNormalization";

    /// <summary>γ, per feature.</summary>
    public Span<float> Gamma => _gamma;

    /// <summary>β, per feature.</summary>
    public Span<float> Beta => _beta;

    /// <summary>x̂ of the last forward pass (rows×width).</summary>
    public ReadOnlySpan<float> Normalized => _normalized.AsSpan(0, BatchRows * InputDim);

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
        _gamma = new float[inputDim];
        _beta = new float[inputDim];
        _gammaGradient = new float[inputDim];
        _betaGradient = new float[inputDim];
        _scratch = new float[inputDim];
        // γ and β are not shrunk by weight decay (IsBias), as for batch normalization.
        _parameters = [new Parameter(Name + "/gamma", _gamma, _gammaGradient, IsBias: true), new Parameter(Name + "/beta", _beta, _betaGradient, IsBias: true)];
        if (rng is null)
        {
            return;
        }
        var fans = new Fans(inputDim, inputDim);
        GammaInitializer.Fill(_gamma, [inputDim], fans, rng.Fork(0));
        BetaInitializer.Fill(_beta, [inputDim], fans, rng.Fork(1));
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
        if (_inverseStd.Length < rows)
        {
            _inverseStd = new float[rows];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        BatchRows = rows;
        int width = InputDim;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> x = input.AsSpan(r * width, width);
            Span<float> xhat = _normalized.AsSpan(r * width, width);
            float mean = TensorPrimitives.Sum(x) / width;
            TensorPrimitives.Subtract(x, mean, xhat);
            float variance = TensorPrimitives.Dot(xhat, xhat) / width;
            float inverseStd = (float)(1 / Math.Sqrt(variance + Epsilon));
            _inverseStd[r] = inverseStd;
            TensorPrimitives.Multiply(xhat, inverseStd, xhat);
            TensorPrimitives.FusedMultiplyAdd(xhat, _gamma, _beta, _output.AsSpan(r * width, width));
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int rows = BatchRows;
        int width = InputDim;
        Span<float> dGamma = _gammaGradient;
        Span<float> dBeta = _betaGradient;
        dGamma.Clear();
        dBeta.Clear();
        Span<float> dxhat = _scratch;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dy = _outputGradient.AsSpan(r * width, width);
            ReadOnlySpan<float> xhat = _normalized.AsSpan(r * width, width);
            TensorPrimitives.Add(dBeta, dy, dBeta);
            TensorPrimitives.FusedMultiplyAdd(dy, xhat, dGamma, dGamma);
            if (inputGradient is null)
            {
                continue;
            }
            // dx = s/D·(D·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), dx̂ = dy·γ, s = 1/√(σ² + ε), sums over the row's D features.
            TensorPrimitives.Multiply(dy, _gamma, dxhat);
            float sum = TensorPrimitives.Sum(dxhat);
            float projection = TensorPrimitives.Dot(dxhat, xhat);
            Span<float> dx = inputGradient.AsSpan(r * width, width);
            TensorPrimitives.Multiply(xhat, -projection, dx);
            TensorPrimitives.Add(dx, -sum, dx);
            TensorPrimitives.MultiplyAdd(dxhat, (float)width, dx, dx);
            TensorPrimitives.Multiply(dx, _inverseStd[r] / width, dx);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"LayerNormalization '{Name}' {InputDim}, ε {Epsilon}, γ {GammaInitializer.Name}");
}
