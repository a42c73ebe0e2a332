using InitLab.Data;
using InitLab.Models;
using InitLab.Onnx;
using InitLab.Tests.TestUtilities;
using InitLab.Training;
using Tensor = InitLab.Tensors.Tensor;

namespace InitLab.Tests.Onnx;

/// <summary>Issue 22: SimpleRNN, LSTM and GRU exported as ONNX's RNN, LSTM and GRU operators (gate blocks reordered,
/// linear_before_reset for reset_after), run by ONNX Runtime, agree with Predict within 1e-5 relative.</summary>
public class OnnxExportRecurrentTests
{
    [Theory]
    [InlineData("all")]
    [InlineData("reset-before")]
    public void Export_RecurrentNets_OnnxRuntimeMatchesPredict(string which)
    {
        Sequential network = which == "all" ? RecurrentNets.AllOptions(5) : RecurrentNets.ResetBefore(5);
        Tensor x = ImageNets.Inputs(9, network.InputDim, 10);

        byte[] bytes = OnnxExport.ToBytes(network);

        OnnxRuntimeRun.AssertClose(network.Predict(x).Data, OnnxRuntimeRun.Run(bytes, x));
        var nodes = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes).Graph.Node;
        var gru = nodes.First(n => n.OpType == "GRU");
        Assert.Equal(which == "all" ? 1 : 0, gru.Attribute.Single(a => a.Name == "linear_before_reset").I);
    }

    [Fact]
    public void Export_AllOptions_StaysTimeMajorBetweenRecurrentLayers()
    {
        var nodes = InitLab.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(RecurrentNets.AllOptions(5))).Graph.Node;

        Assert.Equal(["RNN", "LSTM", "GRU", "GRU", "LSTM"], nodes.Where(n => n.OpType is "RNN" or "LSTM" or "GRU").Select(n => n.OpType));
        // In once; out and back around the per-feature batch normalization (channels-first [N, F, T]); the last LSTM's
        // Y_h is already rows.
        Assert.Equal(["simple_rnn_0.time_major", "batch_normalization_4.batch_major", "batch_normalization_4.nchw", "lstm_5.nhwc", "lstm_5.time_major"],
            nodes.Where(n => n.OpType == "Transpose").Select(n => n.Name));
    }

    [Fact]
    public void Export_LstmTrainedOnAdding_MatchesPredict()
    {
        (TrainedModel model, Dataset test) = RecurrentNets.TrainOnAdding(epochs: 2, seed: 1);

        float[] onnx = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model), test.Features);

        OnnxRuntimeRun.AssertClose([.. model.Predict(test.Features).Values!.Select(v => (float)v)], onnx);
    }
}
