using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: .npz of networks on image rows. Pooling and dropout have no arrays; a dense layer reading an image
/// keeps Keras's (in, out) kernel with in channels-last, and its PyTorch weight (out, in) has in channels-first, the
/// order <c>nn.Flatten</c> gives an NCHW tensor — checked against PyTorch itself where python3 has torch.</summary>
public class WeightArraysPoolingTests
{
    [Theory]
    [InlineData(WeightLayout.Keras)]
    [InlineData(WeightLayout.PyTorch)]
    public void ExportThenImportIntoOtherSeed_PredictionsEqual(WeightLayout layout)
    {
        using var dir = new TempDirectory();
        Sequential source = ImageNets.Pooled(1), target = ImageNets.Pooled(2);
        string path = dir.File("w.npz");
        Tensor x = ImageNets.Inputs(5, 90, 3);
        Assert.NotEqual(source.Predict(x).Data, target.Predict(x).Data);

        WeightArrays.Export(source, path, layout);
        WeightArrays.Import(target, path, layout);

        Assert.Equal(source.Predict(x).Data, target.Predict(x).Data);
        Assert.Equal(source.Parameters.Select(p => p.Value), target.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void ToArrays_DenseAfterImage_KerasChannelsLastPyTorchChannelsFirst()
    {
        // Input [1, 2, 3] (h, w, c) straight into a Dense of 2 units: kernel[i, o] with i = w·3 + c.
        var model = new Sequential([1, 2, 3], [new Dense(2)], 1);
        Span<float> kernel = model.DenseLayers[0].Kernel;
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = i; // kernel[i, o] = 2i + o
        }

        var keras = WeightArrays.ToArrays(model, WeightLayout.Keras).ToDictionary(a => a.Key, a => a.Value);
        var torch = WeightArrays.ToArrays(model, WeightLayout.PyTorch).ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal([6, 2], keras["dense_0.kernel"].Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), keras["dense_0.kernel"].Values);
        Assert.Equal([2, 6], torch["dense_0.weight"].Shape);
        // weight[o, j], j = c·2 + w (channels-first) = kernel[(w·3 + c), o]: for o = 0, j = 0..5 is (c,w) = (0,0),(0,1),(1,0),(1,1),(2,0),(2,1).
        Assert.Equal([0f, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11], torch["dense_0.weight"].Values);
    }

    [TorchFact]
    public void PyTorchLayout_LoadedIntoTorchSequential_GivesPredict()
    {
        // nn.Sequential(MaxPool2d(2), Flatten, Linear(18, 8), ReLU, Linear(8, 4)) on the rows reshaped to NHWC and
        // permuted to NCHW: the .npz's dense weights drop in as they are.
        using var dir = new TempDirectory();
        var model = new Sequential([6, 5, 3], [new MaxPool2D(2), new Dense(8, "relu", "he_normal", "random_normal"), new Dropout(0.5), new Dense(4, "linear", "glorot_uniform", "random_normal")], seed: 5);
        Tensor x = ImageNets.Inputs(7, 90, 6);
        string npz = dir.File("w.npz"), inputs = dir.File("x.npy");
        WeightArrays.Export(model, npz, WeightLayout.PyTorch);
        NpyWriter.Write(inputs, x.Data, [7, 6, 5, 3]);
        const string Script = """
            import sys, numpy, torch
            w = numpy.load(sys.argv[1]); x = torch.from_numpy(numpy.load(sys.argv[2])).permute(0, 3, 1, 2)
            net = torch.nn.Sequential(torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(18, 8), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(8, 4)).eval()
            with torch.no_grad():
                net[2].weight.copy_(torch.from_numpy(w["dense_1.weight"])); net[2].bias.copy_(torch.from_numpy(w["dense_1.bias"]))
                net[5].weight.copy_(torch.from_numpy(w["dense_3.weight"])); net[5].bias.copy_(torch.from_numpy(w["dense_3.bias"]))
                print(" ".join(repr(v) for v in net(x).flatten().tolist()))
            """;
        float[] torch = TorchPython.RunFloats(Script, npz, inputs);

        float[] expected = model.Predict(x).Data;
        // Two float32 implementations summing 18 and 8 products in different orders: 1e-5 relative to max(|y|, 1).
        TorchPython.AssertElementsNear(expected, torch);
    }
}
