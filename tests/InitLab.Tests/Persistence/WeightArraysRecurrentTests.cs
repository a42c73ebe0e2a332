using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: .npz of recurrent networks. Keras: kernel (F, G·units), recurrent_kernel (units, G·units), bias
/// (G·units) or (2, 3·units) for a reset-after GRU. PyTorch: weight_ih_l0 (G·units, F), weight_hh_l0, bias_ih_l0 and
/// bias_hh_l0 in PyTorch's gate order (GRU r, z, n), Keras's one bias as bias_ih with bias_hh zero — loaded into
/// nn.RNN/LSTM/GRU by load_state_dict where python3 has torch.</summary>
public class WeightArraysRecurrentTests
{
    [Theory]
    [InlineData(WeightLayout.Keras)]
    [InlineData(WeightLayout.PyTorch)]
    public void ExportThenImportIntoOtherSeed_PredictionsEqual(WeightLayout layout)
    {
        using var dir = new TempDirectory();
        Sequential source = RecurrentNets.AllOptions(1), target = RecurrentNets.AllOptions(2);
        string path = dir.File("w.npz");
        Tensor x = ImageNets.Inputs(5, 18, 3);
        Assert.NotEqual(source.Predict(x).Data, target.Predict(x).Data);

        WeightArrays.Export(source, path, layout);
        WeightArrays.Import(target, path, layout);

        Assert.Equal(source.Predict(x).Data, target.Predict(x).Data);
        Assert.Equal(source.Parameters.Select(p => p.Value), target.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void ToArrays_Gru_GateBlocksReorderedAndBiasRowsSplit()
    {
        // GRU of 1 unit on 1 feature: Keras kernel (1, 3) = [z, r, h], bias (2, 3) rows b and b′.
        var model = new Sequential([2, 1], [new Gru(1)], 1);
        var gru = (Gru)model.Layers[0];
        gru.Kernel[0] = 10; gru.Kernel[1] = 11; gru.Kernel[2] = 12;
        for (int i = 0; i < 6; i++)
        {
            gru.Bias[i] = 20 + i;
        }

        var keras = WeightArrays.ToArrays(model, WeightLayout.Keras).ToDictionary(a => a.Key, a => a.Value);
        var torch = WeightArrays.ToArrays(model, WeightLayout.PyTorch).ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal([2, 3], keras["gru_0.bias"].Shape);
        Assert.Equal(["gru_0.weight_ih_l0", "gru_0.weight_hh_l0", "gru_0.bias_ih_l0", "gru_0.bias_hh_l0"], torch.Keys);
        Assert.Equal([3, 1], torch["gru_0.weight_ih_l0"].Shape);
        Assert.Equal([11f, 10, 12], torch["gru_0.weight_ih_l0"].Values);  // r, z, n
        Assert.Equal([21f, 20, 22], torch["gru_0.bias_ih_l0"].Values);
        Assert.Equal([24f, 23, 25], torch["gru_0.bias_hh_l0"].Values);
    }

    [Fact]
    public void ToArrays_Lstm_OneBiasAsBiasIhWithZeroBiasHh_SumReadBack()
    {
        Sequential model = RecurrentNets.AllOptions(1);
        var torch = WeightArrays.ToArrays(model, WeightLayout.PyTorch).ToDictionary(a => a.Key, a => a.Value);
        var lstm = (Lstm)model.Layers[1];

        Assert.Equal(lstm.Bias.ToArray(), torch["lstm_1.bias_ih_l0"].Values);
        Assert.All(torch["lstm_1.bias_hh_l0"].Values, v => Assert.Equal(0f, v));
        // PyTorch's two biases add up to Keras's one: read back, bias_ih + bias_hh.
        torch["lstm_1.bias_hh_l0"].Values[0] = 0.5f;
        float expected = torch["lstm_1.bias_ih_l0"].Values[0] + 0.5f;
        WeightArrays.Import(model, torch, WeightLayout.PyTorch, "w.npz");
        Assert.Equal(expected, lstm.Bias[0]);
    }

    [Fact]
    public void Export_ResetBeforeGruAsPyTorch_RefusedSayingWhy()
    {
        var ex = Assert.Throws<NotSupportedException>(() => WeightArrays.ToArrays(RecurrentNets.ResetBefore(1), WeightLayout.PyTorch));

        Assert.Equal("GRU 'gru_0' has reset_after=false (the reset gate before the recurrent product), which PyTorch's nn.GRU cannot compute (it always resets after); export it in Keras layout.", ex.Message);
    }

    [TorchFact]
    public void PyTorchLayout_LoadedIntoTorchRecurrentModules_GivesPredict()
    {
        using var dir = new TempDirectory();
        Sequential model = RecurrentNets.AllOptions(3);
        Tensor x = ImageNets.Inputs(7, 18, 4);
        string npz = dir.File("w.npz"), inputs = dir.File("x.npy");
        WeightArrays.Export(model, npz, WeightLayout.PyTorch);
        NpyWriter.Write(inputs, x.Data, [7, 6, 3]);
        const string Script = """
            import sys, numpy, torch
            import torch.nn.functional as F
            w = {k: torch.from_numpy(v) for k, v in numpy.load(sys.argv[1]).items()}
            x = torch.from_numpy(numpy.load(sys.argv[2]))
            def load(module, prefix):
                module.load_state_dict({k[len(prefix) + 1:]: v for k, v in w.items() if k.startswith(prefix + ".")})
                return module
            rnn = load(torch.nn.RNN(3, 5, nonlinearity="relu", batch_first=True), "simple_rnn_0")
            lstm = load(torch.nn.LSTM(5, 4, batch_first=True), "lstm_1")
            gru = load(torch.nn.GRU(4, 3, batch_first=True), "gru_2")
            lstm5 = load(torch.nn.LSTM(3, 4, batch_first=True), "lstm_5")
            with torch.no_grad():
                # The residual branch's GRU uses relu for its candidate, which nn.GRU cannot: run its cell by hand.
                W, U = w["residual_3.gru_0.weight_ih_l0"], w["residual_3.gru_0.weight_hh_l0"]
                bi, bh = w["residual_3.gru_0.bias_ih_l0"], w["residual_3.gru_0.bias_hh_l0"]
                def relu_gru(x):
                    h = torch.zeros(x.shape[0], 3); out = []
                    for t in range(x.shape[1]):
                        gi = x[:, t] @ W.T + bi; gh = h @ U.T + bh
                        r = torch.sigmoid(gi[:, :3] + gh[:, :3]); z = torch.sigmoid(gi[:, 3:6] + gh[:, 3:6])
                        n = torch.relu(gi[:, 6:] + r * gh[:, 6:])
                        h = (1 - z) * n + z * h; out.append(h)
                    return torch.stack(out, 1)
                y = rnn(x)[0]; y = lstm(y)[0]; y = gru(y)[0]
                y = y + relu_gru(y)
                name = "batch_normalization_4"
                y = F.batch_norm(y.permute(0, 2, 1), w[name + ".running_mean"], w[name + ".running_var"], w[name + ".weight"], w[name + ".bias"], False, 0.0, 1e-3).permute(0, 2, 1)
                y = lstm5(y)[0][:, -1]
                y = torch.softmax(F.linear(y, w["dense_6.weight"], w["dense_6.bias"]), -1)
                print(" ".join(repr(v) for v in y.flatten().tolist()))
            """;
        float[] torch = TorchPython.RunFloats(Script, npz, inputs);

        float[] expected = model.Predict(x).Data;
        // Two float32 implementations over 6 steps of short sums in different orders: 1e-5 relative to max(|y|, 1).
        TorchPython.AssertElementsNear(expected, torch);
    }
}
