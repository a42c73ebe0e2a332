using InitLab.Activations;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: the recurrent layers' Keras defaults — glorot_uniform kernel over the whole (F, G·units) matrix, orthogonal
/// recurrent kernel over the whole (units, G·units) matrix, zero bias, the LSTM's forget-gate bias 1 — shapes, names and
/// argument errors.
/// </summary>
public class RecurrentInitializationTests
{
    private const int Steps = 6;
    private const int Features = 10;
    private const int Units = 64;

    private static T Built<T>(T layer, int steps = Steps, int features = Features)
        where T : RecurrentLayer
    {
        _ = new Sequential([steps, features], [layer], seed: 5);
        return layer;
    }

    [Fact]
    public void Lstm_Defaults_ForgetGateBiasOneEverythingElseZero()
    {
        Lstm lstm = Built(new Lstm(Units));
        float[] bias = lstm.Bias.ToArray();
        Assert.Equal(4 * Units, bias.Length);
        Assert.All(bias[..Units], v => Assert.Equal(0f, v));
        Assert.All(bias[Units..(2 * Units)], v => Assert.Equal(1f, v));
        Assert.All(bias[(2 * Units)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Lstm_UnitForgetBiasOff_AllZero()
    {
        Lstm lstm = Built(new Lstm(Units, unitForgetBias: false));
        Assert.All(lstm.Bias.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Lstm_UnitForgetBiasWithRandomBias_ForgetBlockOneOthersFromTheInitializer()
    {
        Lstm lstm = Built(new Lstm(Units, biasInitializer: new RandomNormal(0, 0.1)));
        float[] bias = lstm.Bias.ToArray();
        Assert.All(bias[Units..(2 * Units)], v => Assert.Equal(1f, v));
        Assert.Contains(bias[..Units], v => v != 0);
        Assert.Contains(bias[(2 * Units)..], v => v != 0);
        // i's block and the c, o blocks come from different streams: not the same draws.
        Assert.NotEqual(bias[..Units], bias[(2 * Units)..(3 * Units)]);
    }

    public static TheoryData<string> Kinds() => ["simple_rnn", "lstm", "gru", "gru_reset_before"];

    private static RecurrentLayer Make(string kind, int units = Units) => kind switch
    {
        "simple_rnn" => new SimpleRnn(units),
        "lstm" => new Lstm(units),
        "gru" => new Gru(units),
        _ => new Gru(units, resetAfter: false),
    };

    /// <summary>Keras's orthogonal over the whole (units, G·units) matrix: orthonormal rows, U·Uᵀ = I (and UᵀU = I too
    /// when square). Float32 rounding of entries ~1/√units, summed over G·units products: ≲ 1e-6; 1e-5 is asserted.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void RecurrentKernel_Default_RowsOrthonormalOverTheWholeMatrix(string kind)
    {
        RecurrentLayer layer = Built(Make(kind));
        int cols = layer.GateCount * Units;
        float[] u = layer.RecurrentKernel.ToArray();
        for (int i = 0; i < Units; i++)
        {
            for (int j = 0; j < Units; j++)
            {
                double dot = 0;
                for (int k = 0; k < cols; k++)
                {
                    dot += (double)u[i * cols + k] * u[j * cols + k];
                }
                Assert.True(Math.Abs(dot - (i == j ? 1 : 0)) < 1e-5, $"{kind}: (U·Uᵀ)[{i}, {j}] = {dot}");
            }
        }
        Assert.Equal(new Fans(Units, cols), layer.RecurrentFans);
    }

    /// <summary>Whole-matrix, not per gate: a row of unit norm spread over G blocks puts 1/G of its squared norm in each
    /// block on average (the row is uniform on the sphere), so each gate's block has mean squared row norm 1/G — per-gate
    /// orthogonal would give 1. The block's share for one row is Beta(units/2, (G−1)·units/2), sd ≈ √((1/G)(1 − 1/G)/(G·units/2))
    /// ≈ 0.038 for LSTM, units 64; the mean over 64 rows has SE ≈ 0.005; 0.03 is 6 SE.</summary>
    [Fact]
    public void LstmRecurrentKernel_EachGateBlockHoldsAQuarterOfTheRowNorm()
    {
        Lstm lstm = Built(new Lstm(Units));
        float[] u = lstm.RecurrentKernel.ToArray();
        for (int gate = 0; gate < 4; gate++)
        {
            double mean = 0;
            for (int i = 0; i < Units; i++)
            {
                for (int j = 0; j < Units; j++)
                {
                    double v = u[i * 4 * Units + gate * Units + j];
                    mean += v * v / Units;
                }
            }
            Assert.True(Math.Abs(mean - 0.25) < 0.03, $"gate {gate}: mean squared row norm {mean}");
        }
    }

    /// <summary>glorot_uniform with Keras's fans (F, G·units): limit √(6/(F + G·units)). A per-gate limit √(6/(F + units))
    /// is larger, so its draws would exceed this one. Variance limit²/3 within 5 relative SE √(2/n).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Kernel_Default_GlorotUniformOverTheWholeMatrix(string kind)
    {
        RecurrentLayer layer = Built(Make(kind));
        int cols = layer.GateCount * Units;
        Assert.Equal(new Fans(Features, cols), layer.KernelFans);
        double limit = Math.Sqrt(6.0 / (Features + cols));
        float[] w = layer.Kernel.ToArray();
        Assert.Equal(Features * cols, w.Length);
        double max = w.Max(v => Math.Abs((double)v));
        Assert.True(max <= limit && max > 0.98 * limit, $"{kind}: max |w| {max}, limit {limit}");
        double variance = w.Average(v => (double)v * v);
        double expected = limit * limit / 3;
        Assert.True(Math.Abs(variance / expected - 1) < 5 * Math.Sqrt(2.0 / w.Length), $"{kind}: variance {variance}, expected {expected}");
        Assert.All(layer.Bias.ToArray().Where((_, i) => !(layer is Lstm && i >= Units && i < 2 * Units)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SimpleRnn_IdentityRecurrentKernelAndRelu_IsIrnn()
    {
        SimpleRnn irnn = Built(new SimpleRnn(8, activation: new Relu(), recurrentInitializer: new Identity()));
        float[] u = irnn.RecurrentKernel.ToArray();
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(i == j ? 1f : 0f, u[i * 8 + j]);
            }
        }
    }

    [Fact]
    public void Shapes_SequencesOrLastState_AndParameterSizes()
    {
        var sequences = new Lstm(7, returnSequences: true);
        var last = new Gru(5);
        var before = new Gru(5, resetAfter: false);
        var model = new Sequential([Steps, Features], [sequences, last], seed: 2);
        Assert.Equal([Steps, 7], sequences.OutputShape);
        Assert.Equal(Steps * 7, sequences.OutputDim);
        Assert.Equal([Steps, 7], last.InputShape);
        Assert.Equal([5], last.OutputShape);
        Assert.Equal([Features * 28, 7 * 28, 28, 7 * 15, 5 * 15, 2 * 15], model.Parameters.Select(p => p.Value.Length));
        Assert.Equal([.. new[] { sequences.Name, last.Name }.SelectMany(n => new[] { n + "/kernel", n + "/recurrent_kernel", n + "/bias" })],
            model.Parameters.Select(p => p.Name));
        _ = new Sequential([Steps, Features], [before], seed: 2);
        Assert.Equal(15, before.Bias.Length);
        Assert.Equal("SimpleRNN", new SimpleRnn(1).KindName);
    }

    [Fact]
    public void SameSeed_SameWeights_OtherSeed_Different()
    {
        float[] Weights(ulong seed) => [.. new Sequential([Steps, Features], [new Lstm(16)], seed).Parameters.SelectMany(p => p.Value)];
        Assert.Equal(Weights(3), Weights(3));
        Assert.NotEqual(Weights(3), Weights(4));
    }

    [Fact]
    public void Build_FlatInput_SaysShapeMustBeTimestepsByFeatures()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential(12, [new Lstm(4)]));
        Assert.Contains("[timesteps, features]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got [12]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LSTM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadArguments_NameTheArgument()
    {
        var units = Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(0));
        Assert.Equal("units", units.ParamName);
        Assert.Contains("got 0", units.Message, StringComparison.Ordinal);
        var activation = Assert.Throws<ArgumentException>(() => new SimpleRnn(3, activation: new Softmax()));
        Assert.Equal("activation", activation.ParamName);
        Assert.Contains("softmax", activation.Message, StringComparison.Ordinal);
        var gate = Assert.Throws<ArgumentException>(() => new Lstm(3, recurrentActivation: new Softmax()));
        Assert.Equal("recurrentActivation", gate.ParamName);
    }

    [Fact]
    public void Forward_ShortInput_SaysWhatWasExpected()
    {
        var model = new Sequential([Steps, Features], [new SimpleRnn(3)], seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => model.Layers[0].Forward(new float[Steps * Features], 2, PassMode.Infer, 1));
        Assert.Contains($"expected 2×{Steps * Features}", ex.Message, StringComparison.Ordinal);
    }
}
