using System.Text.Json;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: SimpleRNN, LSTM and GRU (reset_after, PyTorch's only form) against PyTorch's <c>nn.RNN</c>, <c>nn.LSTM</c>
/// and <c>nn.GRU</c> (batch_first) with the same weights mapped from Keras's layout — W = weight_ih_l0ᵀ,
/// U = weight_hh_l0ᵀ; LSTM gates i, f, c, o = PyTorch's i, f, g, o; GRU's Keras z, r, h = PyTorch's blocks 1, 0, 2
/// (r, z, n), bias row 0 = bias_ih and row 1 = bias_hh in that order; a single Keras bias = bias_ih with bias_hh = 0 —
/// comparing every step's state, ∂/∂x and all weight gradients (mapped back to Keras's layout by the script). PyTorch
/// runs in float64 on the float32 values, so the difference is our float32 rounding: ≲ 1e-6 relative for T = 5 steps
/// of O(1) values (see <see cref="RecurrentGradientTests"/>); 1e-5 relative to the largest entry is asserted.
/// </summary>
public class TorchRecurrentTests
{
    private const int Rows = 4;
    private const int Steps = 5;
    private const int Features = 3;
    private const int Units = 4;
    private const double Tolerance = 1e-5;

    private const string Script = """
        import json, sys, torch
        d = json.load(sys.stdin)
        B, T, F, H = d["rows"], d["steps"], d["features"], d["units"]
        t64 = lambda v, *shape: torch.tensor(v, dtype=torch.float64).reshape(*shape)
        x0 = t64(d["x"], B, T, F)
        g = t64(d["g"], B, T, H)
        out = {}
        def gru_order(m):
            # Keras z|r|h along the last axis <-> PyTorch r|z|n (the same swap both ways).
            return torch.cat([m[..., H:2*H], m[..., :H], m[..., 2*H:]], -1)
        for kind in ["rnn", "lstm", "gru"]:
            G = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
            W = t64(d[kind + "_kernel"], F, G * H)
            U = t64(d[kind + "_recurrent"], H, G * H)
            b = t64(d[kind + "_bias"], -1)
            module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](F, H, batch_first=True).double()
            with torch.no_grad():
                if kind == "gru":
                    module.weight_ih_l0.copy_(gru_order(W).T)
                    module.weight_hh_l0.copy_(gru_order(U).T)
                    module.bias_ih_l0.copy_(gru_order(b[:3*H]))
                    module.bias_hh_l0.copy_(gru_order(b[3*H:]))
                else:
                    module.weight_ih_l0.copy_(W.T)
                    module.weight_hh_l0.copy_(U.T)
                    module.bias_ih_l0.copy_(b)
                    module.bias_hh_l0.zero_()
            x = x0.clone().requires_grad_(True)
            y, _ = module(x)
            (y * g).sum().backward()
            out[kind + "_y"] = y.detach().flatten().tolist()
            out[kind + "_dx"] = x.grad.flatten().tolist()
            if kind == "gru":
                out[kind + "_dkernel"] = gru_order(module.weight_ih_l0.grad.T).flatten().tolist()
                out[kind + "_drecurrent"] = gru_order(module.weight_hh_l0.grad.T).flatten().tolist()
                out[kind + "_dbias"] = gru_order(module.bias_ih_l0.grad).tolist() + gru_order(module.bias_hh_l0.grad).tolist()
            else:
                out[kind + "_dkernel"] = module.weight_ih_l0.grad.T.flatten().tolist()
                out[kind + "_drecurrent"] = module.weight_hh_l0.grad.T.flatten().tolist()
                out[kind + "_dbias"] = module.bias_ih_l0.grad.tolist()
        json.dump(out, sys.stdout)
        """;

    [TorchFact]
    public void SimpleRnnLstmGru_MatchPyTorch()
    {
        float[] x = LayerReference.Normals(Rows * Steps * Features, 91, scale: 1.2, shift: 0.2);
        float[] g = LayerReference.Normals(Rows * Steps * Units, 92);
        var bias = new RandomNormal(0, 0.5);
        var layers = new Dictionary<string, RecurrentLayer>
        {
            ["rnn"] = new SimpleRnn(Units, true, biasInitializer: bias, recurrentInitializer: new Orthogonal(1.2)),
            ["lstm"] = new Lstm(Units, true, biasInitializer: bias, recurrentInitializer: new Orthogonal(1.2)),
            ["gru"] = new Gru(Units, true, biasInitializer: bias, recurrentInitializer: new Orthogonal(1.2)),
        };
        var models = layers.ToDictionary(p => p.Key, p => new Sequential([Steps, Features], [p.Value], seed: 7) { Threads = 1 });
        var input = new Dictionary<string, object> { ["rows"] = Rows, ["steps"] = Steps, ["features"] = Features, ["units"] = Units, ["x"] = x, ["g"] = g };
        foreach ((string kind, RecurrentLayer layer) in layers)
        {
            input[kind + "_kernel"] = layer.Kernel.ToArray();
            input[kind + "_recurrent"] = layer.RecurrentKernel.ToArray();
            input[kind + "_bias"] = layer.Bias.ToArray();
        }
        JsonElement torch = TorchPython.RunJson(Script, input);

        foreach ((string kind, RecurrentLayer layer) in layers)
        {
            (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(models[kind], x, g, PassMode.Probe);
            Near(TorchPython.Floats(torch, kind + "_y"), y, kind + " states");
            Near(TorchPython.Floats(torch, kind + "_dx"), dx, kind + " ∂x");
            Near(TorchPython.Floats(torch, kind + "_dkernel"), layer.KernelGradient.ToArray(), kind + " ∂kernel");
            Near(TorchPython.Floats(torch, kind + "_drecurrent"), layer.RecurrentKernelGradient.ToArray(), kind + " ∂recurrent_kernel");
            Near(TorchPython.Floats(torch, kind + "_dbias"), layer.BiasGradient.ToArray(), kind + " ∂bias");
        }
    }

    private static void Near(double[] expected, float[] actual, string what) => TorchPython.AssertNear(expected, actual, Tolerance, what);
}
