using InitLab.Data;
using InitLab.Models;
using InitLab.Onnx;
using InitLab.Tests.TestUtilities;
using InitLab.Training;
using Tensor = InitLab.Tensors.Tensor;

namespace InitLab.Tests.Onnx;

/// <summary>Issue 22: pooling, global average pooling and dropout exported to ONNX (NCHW between spatial layers, rows
/// outside them) and run by ONNX Runtime agree with Predict within 1e-5 relative (|onnx − initlab| ≤ 1e-5·max(|initlab|, 1)).</summary>
public class OnnxExportPoolingTests
{
    public static TheoryData<string> Models() => new() { "pooled", "global", "ends-in-pooling" };

    private static Sequential Model(string name) => name switch
    {
        "pooled" => ImageNets.Pooled(7),
        "global" => ImageNets.GlobalPooled(7),
        _ => ImageNets.EndsInPooling(7),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Export_PoolingNets_OnnxRuntimeMatchesPredict(string name)
    {
        Sequential network = Model(name);
        Tensor x = ImageNets.Inputs(9, network.InputDim, 8);

        OnnxRuntimeRun.AssertClose(network.Predict(x).Data, OnnxRuntimeRun.Run(OnnxExport.ToBytes(network), x));
    }

    [Fact]
    public void Export_PooledNet_OneTransposeIntoNchwAndOneOut_PadsAsKeras()
    {
        var proto = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(ImageNets.Pooled(7)));
        var nodes = proto.Graph.Node;

        // Into NCHW before the first pool, back to rows before the first dense; the residual adds two NCHW tensors.
        Assert.Equal(["max_pooling2d_0.nchw", "dense_5.nhwc"], nodes.Where(n => n.OpType == "Transpose").Select(n => n.Name));
        Assert.DoesNotContain(nodes, n => n.OpType == "Dropout");
        var max = nodes.Single(n => n.OpType == "MaxPool");
        Assert.Equal([0L, 1, 1, 1], max.Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal([2L, 3], max.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        var averages = nodes.Where(n => n.OpType == "AveragePool").ToList();
        Assert.All(averages, a => Assert.Equal(0, a.Attribute.Single(x => x.Name == "count_include_pad").I));
        // 3×3 stride 1 "same" on 6×3: one row and one column each side; 2×2 stride 2 "valid" on 6×3: none (column 3 dropped).
        Assert.Equal([[1L, 1, 1, 1], [0L, 0, 0, 0]], averages.Select(a => a.Attribute.Single(x => x.Name == "pads").Ints.ToArray()));
    }

    [Fact]
    public void Export_TrainedDigitImagesWithScaler_TakesRawPixelsAndMatchesPredictProbabilities()
    {
        (TrainedModel model, Dataset test) = ImageNets.TrainOnDigits(epochs: 2, seed: 1);

        float[] onnx = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), test.Features);

        OnnxRuntimeRun.AssertClose(model.PredictProbabilities(test.Features).Data, onnx);
    }
}
