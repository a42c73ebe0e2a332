using InitLab.Activations;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.Onnx;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = InitLab.Tensors.Tensor;

namespace InitLab.Tests.Onnx;

/// <summary>Issue 14 §2: the exported ONNX model, run by ONNX Runtime (a second, independent implementation of every
/// operator), agrees with InitLab's forward pass within 1e-5 relative (|onnx − initlab| ≤ 1e-5·max(|initlab|, 1)).</summary>
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Activations()
    {
        var data = new TheoryData<string>();
        foreach (string name in ActivationRegistry.Names)
        {
            data.Add(name);
        }
        data.Add("leaky_relu(0.05)");
        data.Add("elu(0.5)");
        return data;
    }

    private static float[] Run(byte[] onnx, Tensor x)
    {
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor(x.Data, [x.Shape[0], x.Shape[1]]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, input)]);
        return [.. results.Single(r => r.Name == OnnxExport.OutputName).AsEnumerable<float>()];
    }

    private static Tensor Inputs(int rows, int cols, double spread, ulong seed)
    {
        var rng = new InitLab.Random.Rng(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(spread * rng.NextNormal());
        }
        return new Tensor(data, rows, cols);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = Tolerance * Math.Max(Math.Abs(expected[i]), 1);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"element {i}: initlab {expected[i]:R}, onnx runtime {actual[i]:R} (bound {bound:G3})");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Export_EveryActivation_OnnxRuntimeMatchesForward(string activation)
    {
        // Hidden layer with the activation under test; pre-activations spread over about ±6 reach both sides of every
        // kink and the saturated tails.
        var network = new Sequential(5, [new Dense(16, activation, "he_normal", "random_normal"), new Dense(3, activation)], seed: 3);
        Tensor x = Inputs(64, 5, 2.0, 11);

        float[] onnx = Run(OnnxExport.ToBytes(network), x);

        AssertClose(network.Predict(x).Data, onnx);
    }

    [Theory]
    [InlineData("softmax", 4)]
    [InlineData("sigmoid", 1)]
    public void Export_ClassifierHead_OnnxRuntimeGivesSameProbabilities(string head, int units)
    {
        var network = new Sequential(6, [new Dense(8, "tanh"), new Dense(units, head, useBias: false)], seed: 5);
        Tensor x = Inputs(32, 6, 1.5, 12);

        AssertClose(network.Predict(x).Data, Run(OnnxExport.ToBytes(network), x));
    }

    [Fact]
    public void Export_TrainedDigitsWithStandardScaler_TakesRawPixelsAndMatchesPredictProbabilities()
    {
        Dataset raw = BuiltInData.Load("digits");
        Scaler scaler = Scaler.FitStandard(raw.Features);
        var network = new Sequential(64, [new Dense(32, "relu", "he_normal"), new Dense(10, "softmax")], seed: 1);
        network.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(0.01));
        Dataset scaled = scaler.Transform(raw);
        network.Fit(scaled.Features, scaled.TargetsFor(network.Loss!, 10), new FitOptions { Epochs = 3 });
        var model = new TrainedModel(network, ModelTask.Classification, raw.FeatureNames, scaler, raw.ClassNames);

        float[] onnx = Run(OnnxExport.ToBytes(model), raw.Features);
        Tensor expected = model.PredictProbabilities(raw.Features);

        AssertClose(expected.Data, onnx);
        // The model learned something, so the comparison is not between two near-uniform outputs.
        int correct = Enumerable.Range(0, raw.Rows).Count(r => ArgMax(onnx.AsSpan(r * 10, 10)) == raw.Labels![r]);
        Assert.True(correct > raw.Rows * 0.8, $"accuracy {correct}/{raw.Rows}");
    }

    [Fact]
    public void Export_MinMaxScaler_BecomesSubDivInFront()
    {
        Dataset raw = BuiltInData.Load("iris");
        Scaler scaler = Scaler.FitMinMax(raw.Features);
        var network = new Sequential(4, [new Dense(8, "elu"), new Dense(3, "softmax")], seed: 2);
        network.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd());
        var model = new TrainedModel(network, ModelTask.Classification, raw.FeatureNames, scaler, raw.ClassNames);

        AssertClose(model.PredictProbabilities(raw.Features).Data, Run(OnnxExport.ToBytes(model), raw.Features));
    }

    [Fact]
    public void Export_RegressionWithTargetScaler_OutputsTargetUnits()
    {
        // Targets 100 + 50·t: a standardised-target network's output is mapped back by Mul(std) and Add(mean) behind.
        Tensor x = Inputs(40, 3, 1.0, 13);
        var targets = new float[40 * 2];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = 100 + 50 * x.Data[i % x.Data.Length];
        }
        TargetScaler targetScaler = TargetScaler.Fit(new Tensor(targets, 40, 2));
        Scaler scaler = Scaler.FitStandard(x);
        var network = new Sequential(3, [new Dense(6, "softplus"), new Dense(2)], seed: 4);
        network.Compile(new MeanSquaredError(), new Sgd());
        var model = new TrainedModel(network, ModelTask.Regression, ["a", "b", "c"], scaler, null, targetScaler);

        float[] onnx = Run(OnnxExport.ToBytes(model), x);
        IReadOnlyList<double> expected = model.Predict(x).Values!;

        AssertClose(expected.Select(v => (float)v).ToArray(), onnx);
        Assert.True(onnx.Average() > 50, "outputs are in target units (mean near 100), not standardised");
    }

    [Fact]
    public void Export_TrainedResidualNetWithBatchAndLayerNorm_OnnxRuntimeMatchesPredictProbabilities()
    {
        // Issue 21: Add (identity and projection shortcuts), Mul (trained and fixed α), BatchNormalization in inference
        // mode on running statistics moved by two epochs, LayerNormalization (ε 1e-3 and 1e-5), Activation, ScalarBias.
        (TrainedModel model, Dataset test) = ResidualNets.TrainOnDigits(epochs: 2, seed: 1);

        byte[] bytes = OnnxExport.ToBytes(model);
        float[] onnx = Run(bytes, test.Features);

        AssertClose(model.PredictProbabilities(test.Features).Data, onnx);
        var proto = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        string[] ops = [.. proto.Graph.Node.Select(n => n.OpType).Distinct()];
        Assert.Subset(new HashSet<string>(ops), new HashSet<string> { "Add", "Mul", "BatchNormalization", "LayerNormalization", "Relu", "Tanh", "Softmax", "MatMul", "Gemm" });
        var norm = proto.Graph.Node.First(n => n.OpType == "BatchNormalization" && n.Name.StartsWith("batch_normalization_4", StringComparison.Ordinal));
        Assert.Equal(1e-4f, norm.Attribute.Single(a => a.Name == "epsilon").F);
        int correct = Enumerable.Range(0, test.Rows).Count(r => ArgMax(onnx.AsSpan(r * 10, 10)) == test.Labels![r]);
        Assert.True(correct > test.Rows * 0.8, $"accuracy {correct}/{test.Rows}");
    }

    [Fact]
    public void Export_ResidualRegressionHeadEndingInBlock_OutputIsTheBlockSum()
    {
        // The last layer is a residual block (no Dense head): the graph's output is its Add.
        var network = new Sequential(4, [new Dense(6, "gelu"), new Residual([new LayerNormalization(), new Dense(6, "elu")], alpha: 0, trainableAlpha: true)], seed: 6);
        ((Residual)network.Layers[1]).Alpha = 0.75f;
        Tensor x = Inputs(16, 4, 1.0, 14);

        AssertClose(network.Predict(x).Data, Run(OnnxExport.ToBytes(network), x));
    }

    [Fact]
    public void Save_WritesFileThatOnnxRuntimeLoads_WithPinnedVersions()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.onnx");
        var network = new Sequential(2, [new Dense(3, "relu"), new Dense(1, "sigmoid")], seed: 1);

        OnnxExport.Save(network, path);

        using var session = new InferenceSession(path);
        Assert.Equal([-1, 2], session.InputMetadata[OnnxExport.InputName].Dimensions);
        Assert.Equal([-1, 1], session.OutputMetadata[OnnxExport.OutputName].Dimensions);
        var proto = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal(["dense_0.z", "dense_0.a", "dense_1.z", "output"], proto.Graph.Node.Select(n => n.Output[0]));
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }
}
