using InitLab.Data;
using InitLab.Models;
using InitLab.Onnx;
using InitLab.Tests.TestUtilities;
using InitLab.Training;
using Tensor = InitLab.Tensors.Tensor;

namespace InitLab.Tests.Onnx;

/// <summary>Issue 22: Conv, ConvTranspose (pads and output_padding from Keras's sizes), per-channel BatchNormalization
/// on NCHW and Flatten, run by ONNX Runtime, agree with Predict within 1e-5 relative.</summary>
public class OnnxExportConvTests
{
    [Fact]
    public void Export_EveryConvolutionOption_OnnxRuntimeMatchesPredict()
    {
        Sequential network = ConvNets.AllOptions(4);
        Tensor x = ImageNets.Inputs(8, 60, 9);

        byte[] bytes = OnnxExport.ToBytes(network);

        OnnxRuntimeRun.AssertClose(network.Predict(x).Data, OnnxRuntimeRun.Run(bytes, x));
        var nodes = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes).Graph.Node;
        // Into NCHW once, out once (before the dense head); the residual block adds NCHW tensors.
        Assert.Equal(2, nodes.Count(n => n.OpType == "Transpose"));
        Assert.Equal([1L, 0, 1, 1], nodes.Single(n => n.Name == "conv2d_0.z").Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal([0L, 0, 1, 1], nodes.Single(n => n.Name == "conv2d_transpose_3.z").Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal([1L, 0], nodes.Single(n => n.Name == "conv2d_transpose_4.z").Attribute.Single(a => a.Name == "output_padding").Ints);
        Assert.Equal(6, nodes.Single(n => n.Name == "conv2d_1.z").Attribute.Single(a => a.Name == "group").I);
    }

    [Fact]
    public void Export_TrainedCnnOnDigitsWithScaler_MatchesPredictProbabilities()
    {
        (TrainedModel model, Dataset test) = ConvNets.TrainOnDigits(epochs: 2, seed: 1);

        OnnxRuntimeRun.AssertClose(model.PredictProbabilities(test.Features).Data, OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), test.Features));
    }
}
