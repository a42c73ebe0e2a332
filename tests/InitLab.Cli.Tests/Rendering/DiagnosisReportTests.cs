using InitLab.Cli.Rendering;
using InitLab.Diagnostics;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;
using Spectre.Console;

namespace InitLab.Cli.Tests.Rendering;

/// <summary>diagnose's report for a residual model (built through the library): a per-block table after the per-Dense one,
/// the normalization layers' outputs, and where the prediction stops applying.</summary>
public class DiagnosisReportTests
{
    private static (Sequential Model, Tensor X, Tensor Y) ResMlp(bool batchNorm)
    {
        var layers = new List<Layer> { new Dense(32, "relu", "he_normal") };
        for (int i = 0; i < 4; i++)
        {
            List<Layer> branch = [new Dense(32, "relu", "he_normal"), new Dense(32, "linear", "he_normal")];
            if (batchNorm)
            {
                branch.Add(new BatchNormalization());
            }
            layers.Add(new Residual(branch));
        }
        layers.Add(new Dense(10, "softmax"));
        var model = new Sequential(64, layers, 1);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd());
        var rng = new Rng(9);
        var x = new float[128 * 64];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        var y = new float[128];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = rng.NextInt(10);
        }
        return (model, new Tensor(x, 128, 64), new Tensor(y, 128, 1));
    }

    private static string Render(Sequential model, Diagnosis diagnosis)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        DiagnosisReport.Render(new CliContext(console, TextWriter.Null), model, diagnosis, 128, 128, 1 << 24);
        return output.ToString();
    }

    [Fact]
    public void Render_ResidualModel_ShowsOneRowPerBlockWithPredictedGrowthAfterTheDenseTable()
    {
        var (model, x, y) = ResMlp(batchNorm: false);
        Diagnosis diagnosis = Diagnosis.Run(model, x, y);
        string text = Render(model, diagnosis);
        int dense = text.IndexOf("predicted E[z²]", StringComparison.Ordinal);
        int blocks = text.IndexOf("residual blocks", StringComparison.Ordinal);
        Assert.True(dense >= 0 && blocks > dense, text);
        for (int i = 1; i <= 4; i++)
        {
            // Each block's row carries its predicted growth, 3 (He ReLU branch: 1 + 2·½·2).
            string row = text.Split('\n').Single(l => l.Contains($"residual_{i} ", StringComparison.Ordinal) && !l.Contains('/', StringComparison.Ordinal));
            Assert.Contains(" 3 ", row, StringComparison.Ordinal);
        }
        Assert.Contains("note: residual stream over 4 blocks", text, StringComparison.Ordinal);
        var json = DiagnosisReport.ToJson(model, diagnosis);
        Assert.Equal(4, ((System.Collections.ICollection)json["blocks"]!).Count);
    }

    [Fact]
    public void Render_BatchNormInTheBranch_SaysWhereThePredictionStopsApplying()
    {
        var (model, x, y) = ResMlp(batchNorm: true);
        Diagnosis diagnosis = Diagnosis.Run(model, x, y);
        string text = Render(model, diagnosis);
        Assert.Contains("normalization layers", text, StringComparison.Ordinal);
        Assert.Contains("residual_1 (norm)", text, StringComparison.Ordinal);
        Assert.Contains("prediction: BatchNormalization normalizes with batch statistics", text, StringComparison.Ordinal);
        Assert.Contains("not by a constant factor per block", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_PlainStack_HasNoBlockKeys()
    {
        var model = new Sequential(8, [new Dense(16, "relu", "he_normal"), new Dense(3, "softmax")], 1);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd());
        var x = new Tensor(Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray(), 4, 8);
        var y = new Tensor([0, 1, 2, 0], 4, 1);
        var json = DiagnosisReport.ToJson(model, Diagnosis.Run(model, x, y));
        Assert.False(json.ContainsKey("blocks"));
        Assert.False(json.ContainsKey("normalizations"));
        Assert.False(json.ContainsKey("prediction_caveats"));
    }
}
