using System.Text.Json;
using InitLab.Layers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 21: batch and layer normalization against PyTorch's <c>BatchNorm1d</c> and <c>LayerNorm</c> (float32, the same
/// inputs, γ, β and cotangent): outputs, ∂/∂x, ∂/∂γ, ∂/∂β in training (batch statistics) and evaluation (running ones),
/// and the running statistics after one training pass. Keras momentum 0.99 is PyTorch's momentum=0.01; PyTorch's running
/// variance takes the unbiased batch variance, ours (Keras's) the biased one, so that one is compared after the ×(N−1)/N
/// correction. Two float32 implementations with different operation orders: 1e-5 relative to the largest entry.
/// </summary>
public class TorchNormalizationTests
{
    private const int Rows = 8;
    private const int Width = 5;
    private const double Tolerance = 1e-5;

    private const string Script = """
        import json, sys, torch
        d = json.load(sys.stdin)
        R, W = d["rows"], d["width"]
        x0 = torch.tensor(d["x"], dtype=torch.float32).reshape(R, W)
        g = torch.tensor(d["g"], dtype=torch.float32).reshape(R, W)
        gamma = torch.tensor(d["gamma"], dtype=torch.float32)
        beta = torch.tensor(d["beta"], dtype=torch.float32)
        out = {}
        def run(module, prefix):
            with torch.no_grad():
                module.weight.copy_(gamma)
                module.bias.copy_(beta)
            x = x0.clone().requires_grad_(True)
            y = module(x)
            (y * g).sum().backward()
            out[prefix + "y"] = y.detach().flatten().tolist()
            out[prefix + "dx"] = x.grad.flatten().tolist()
            out[prefix + "dgamma"] = module.weight.grad.tolist()
            out[prefix + "dbeta"] = module.bias.grad.tolist()
            module.weight.grad = None
            module.bias.grad = None
        bn = torch.nn.BatchNorm1d(W, eps=1e-3, momentum=0.01)
        bn.train()
        run(bn, "bn_train_")
        out["running_mean"] = bn.running_mean.tolist()
        out["running_var"] = bn.running_var.tolist()
        with torch.no_grad():
            bn.running_mean.copy_(torch.tensor(d["moving_mean"]))
            bn.running_var.copy_(torch.tensor(d["moving_variance"]))
        bn.eval()
        run(bn, "bn_eval_")
        ln = torch.nn.LayerNorm(W, eps=1e-3)
        run(ln, "ln_")
        json.dump(out, sys.stdout)
        """;

    [TorchFact]
    public void BatchAndLayerNormalization_MatchPyTorch()
    {
        float[] x = LayerReference.Normals(Rows * Width, 81, scale: 2, shift: 0.5);
        float[] g = LayerReference.Normals(Rows * Width, 82);
        float[] gamma = LayerReference.Normals(Width, 83, scale: 0.3, shift: 1);
        float[] beta = LayerReference.Normals(Width, 84, scale: 0.3);
        float[] movingMean = LayerReference.Normals(Width, 85, scale: 0.5);
        float[] movingVariance = [.. LayerReference.Normals(Width, 86, scale: 0.5).Select(v => MathF.Exp(v))];
        JsonElement torch = TorchPython.RunJson(Script, new { rows = Rows, width = Width, x, g, gamma, beta, moving_mean = movingMean, moving_variance = movingVariance });

        var bn = new BatchNormalization();
        var bnModel = new Sequential(Width, [bn], seed: 1) { Threads = 1 };
        gamma.CopyTo(bn.Gamma);
        beta.CopyTo(bn.Beta);
        (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(bnModel, x, g, PassMode.Train);
        Compare(torch, "bn_train_", y, dx, bn);
        Near(TorchPython.Floats(torch, "running_mean"), bn.MovingMean.ToArray(), "running mean");
        double[] torchVariance = TorchPython.Floats(torch, "running_var");
        Near([.. torchVariance.Select(v => 0.99 + (v - 0.99) * (Rows - 1) / Rows)], bn.MovingVariance.ToArray(), "running variance (biased)");

        movingMean.CopyTo(bn.MovingMean);
        movingVariance.CopyTo(bn.MovingVariance);
        (y, dx) = LayerGradientTests.ForwardBackward(bnModel, x, g, PassMode.Infer);
        Compare(torch, "bn_eval_", y, dx, bn);

        var ln = new LayerNormalization();
        var lnModel = new Sequential(Width, [ln], seed: 1) { Threads = 1 };
        gamma.CopyTo(ln.Gamma);
        beta.CopyTo(ln.Beta);
        (y, dx) = LayerGradientTests.ForwardBackward(lnModel, x, g, PassMode.Probe);
        Compare(torch, "ln_", y, dx, ln);
    }

    private static void Compare(JsonElement torch, string prefix, float[] y, float[] dx, Layer layer)
    {
        Near(TorchPython.Floats(torch, prefix + "y"), y, prefix + "y");
        Near(TorchPython.Floats(torch, prefix + "dx"), dx, prefix + "dx");
        Near(TorchPython.Floats(torch, prefix + "dgamma"), layer.OwnParameters[0].Gradient, prefix + "dgamma");
        Near(TorchPython.Floats(torch, prefix + "dbeta"), layer.OwnParameters[1].Gradient, prefix + "dbeta");
    }

    private static void Near(double[] expected, float[] actual, string what) => TorchPython.AssertNear(expected, actual, Tolerance, what);
}
