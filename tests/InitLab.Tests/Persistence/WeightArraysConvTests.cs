using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: .npz of convolutional networks. Keras layout keeps the kernels as the layers hold them
/// ((kh, kw, in/groups, filters), transposed (kh, kw, filters, in)); PyTorch layout gives Conv2d.weight
/// (filters, in/groups, kh, kw) and ConvTranspose2d.weight (in, filters, kh, kw), BatchNorm2d's weight/bias/running
/// statistics per channel, and the dense head's inputs channels-first — checked against PyTorch where python3 has it.</summary>
public class WeightArraysConvTests
{
    [Theory]
    [InlineData(WeightLayout.Keras)]
    [InlineData(WeightLayout.PyTorch)]
    public void ExportThenImportIntoOtherSeed_PredictionsAndStatisticsEqual(WeightLayout layout)
    {
        using var dir = new TempDirectory();
        Sequential source = ConvNets.AllOptions(1), target = ConvNets.AllOptions(2);
        string path = dir.File("w.npz");
        Tensor x = ImageNets.Inputs(5, 60, 3);
        Assert.NotEqual(source.Predict(x).Data, target.Predict(x).Data);

        WeightArrays.Export(source, path, layout);
        WeightArrays.Import(target, path, layout);

        Assert.Equal(source.Predict(x).Data, target.Predict(x).Data);
        Assert.Equal(source.AllLayers.SelectMany(l => l.State.Select(s => s.Values)), target.AllLayers.SelectMany(l => l.State.Select(s => s.Values)));
    }

    [Fact]
    public void ToArrays_ConvKernels_ShapesAndOneElementByHand()
    {
        Sequential model = ConvNets.AllOptions(1);
        var keras = WeightArrays.ToArrays(model, WeightLayout.Keras).ToDictionary(a => a.Key, a => a.Value);
        var torch = WeightArrays.ToArrays(model, WeightLayout.PyTorch).ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal([3, 2, 1, 6], keras["conv2d_0.kernel"].Shape);
        Assert.Equal([6, 1, 3, 2], torch["conv2d_0.weight"].Shape);
        Assert.Equal([3, 3, 4, 6], keras["conv2d_transpose_3.kernel"].Shape);
        Assert.Equal([6, 4, 3, 3], torch["conv2d_transpose_3.weight"].Shape);
        Assert.Equal([6], torch["batch_normalization_2.running_var"].Shape);
        // Keras (i, j, a, b) = (2, 1, 3, 5) of the 3×3×4×6 transposed kernel is PyTorch (b, a, i, j) = (5, 3, 2, 1).
        Assert.Equal(keras["conv2d_transpose_3.kernel"].Values[((2 * 3 + 1) * 4 + 3) * 6 + 5], torch["conv2d_transpose_3.weight"].Values[((5 * 4 + 3) * 3 + 2) * 3 + 1]);
    }

    [Fact]
    public void Import_KerasKernelAsPyTorch_SaysItLooksLikeTheOtherLayout()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npz");
        WeightArrays.Export(ConvNets.AllOptions(1), path, WeightLayout.Keras);

        var ex = Assert.Throws<InitLab.Data.DataFormatException>(() => WeightArrays.Import(ConvNets.AllOptions(2), path, WeightLayout.PyTorch));

        Assert.Contains("no array 'conv2d_0.weight' (a PyTorch Conv2d weight (filters, in/groups, kh, kw))", ex.Message, StringComparison.Ordinal);
    }

    [TorchFact]
    public void PyTorchLayout_RunByTorchFunctionalOps_GivesPredict()
    {
        // The whole network in torch.nn.functional on NCHW, weights straight from the PyTorch-layout .npz; Keras's
        // asymmetric "same" padding by F.pad (left, right, top, bottom), transposed convolutions computed full then
        // cropped/extended to Keras's size before the bias, batch normalization in eval mode.
        using var dir = new TempDirectory();
        Sequential model = ConvNets.AllOptions(3);
        Tensor x = ImageNets.Inputs(6, 60, 7);
        string npz = dir.File("w.npz"), inputs = dir.File("x.npy");
        WeightArrays.Export(model, npz, WeightLayout.PyTorch);
        NpyWriter.Write(inputs, x.Data, [6, 5, 4, 3]);
        const string Script = """
            import sys, numpy, torch
            import torch.nn.functional as F
            w = {k: torch.from_numpy(v) for k, v in numpy.load(sys.argv[1]).items()}
            x = torch.from_numpy(numpy.load(sys.argv[2])).permute(0, 3, 1, 2)
            def tconv(x, name, stride, out, pad_top, pad_left, bias=True):
                y = F.conv_transpose2d(x, w[name + ".weight"], None, stride)
                y = F.pad(y, (0, max(out[1] + pad_left - y.shape[3], 0), 0, max(out[0] + pad_top - y.shape[2], 0)))
                y = y[:, :, pad_top:pad_top + out[0], pad_left:pad_left + out[1]]
                return y + w[name + ".bias"].reshape(1, -1, 1, 1)
            def bn(x, name, eps):
                return F.batch_norm(x, w[name + ".running_mean"], w[name + ".running_var"], w[name + ".weight"], w[name + ".bias"], False, 0.0, eps)
            with torch.no_grad():
                x = torch.tanh(F.conv2d(F.pad(x, (0, 1, 1, 1)), w["conv2d_0.weight"], w["conv2d_0.bias"], (2, 1), groups=3))
                x = F.relu(F.conv2d(F.pad(x, (2, 2, 2, 2)), w["conv2d_1.weight"], w["conv2d_1.bias"], 1, dilation=2, groups=6))
                x = bn(x, "batch_normalization_2", 1e-3)
                x = F.elu(tconv(x, "conv2d_transpose_3", 2, (6, 8), 0, 0))
                x = tconv(x, "conv2d_transpose_4", 2, (12, 17), 0, 0)
                x = F.conv2d(x, w["conv2d_5.weight"], None, 3)
                b = F.relu(F.conv2d(F.pad(x, (1, 1, 1, 1)), w["residual_6.conv2d_0.weight"], w["residual_6.conv2d_0.bias"]))
                x = x + bn(b, "residual_6.batch_normalization_1", 1e-3)
                x = torch.softmax(F.linear(x.flatten(1), w["dense_8.weight"], w["dense_8.bias"]), -1)
                print(" ".join(repr(v) for v in x.flatten().tolist()))
            """;
        float[] torch = TorchPython.RunFloats(Script, npz, inputs);

        float[] expected = model.Predict(x).Data;
        // Two float32 implementations summing up to 72 products per output in different orders: 1e-5 relative to max(|y|, 1).
        TorchPython.AssertElementsNear(expected, torch);
    }
}
