using System.Text.Json;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: Conv2D, Conv2DTranspose and per-channel batch normalization against PyTorch (float32; skipped without a
/// python3 that has torch). The layouts are mapped as the layers' docs say: images NHWC → NCHW; the Conv2D kernel
/// (kh, kw, C/G, F) → Conv2d weight (F, C/G, kh, kw); the Conv2DTranspose kernel (kh, kw, F, C) → ConvTranspose2d weight
/// (C, F, kh, kw) — both permute(3, 2, 0, 1). Keras's "same" padding (extra after) is applied with F.pad before F.conv2d;
/// the transposed "same" output is the full conv_transpose2d cropped from the top/left padding. Outputs, ∂/∂x, ∂/∂W and
/// ∂/∂b agree within 1e-5 relative to the largest entry (two float32 implementations summing in different orders).
/// </summary>
public class TorchConvolutionTests
{
    private const double Tolerance = 1e-5;
    private const int Rows = 3;

    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        torch.backends.mkldnn.enabled = False
        d = json.load(sys.stdin)
        out = {}
        def axis(n, k, s, dil, same):
            keff = (k - 1) * dil + 1
            if not same:
                return (n - keff) // s + 1, 0, 0
            o = -(-n // s)
            total = max((o - 1) * s + keff - n, 0)
            return o, total // 2, total - total // 2
        for case in d["cases"]:
            name = case["name"]
            H, W, C = case["shape"]
            kh, kw = case["kernel"]; sh, sw = case["strides"]; dh, dw = case["dilation"]
            same = case["padding"] == "same"
            x = torch.tensor(case["x"], dtype=torch.float32).reshape(-1, H, W, C).permute(0, 3, 1, 2).contiguous().requires_grad_(True)
            k = torch.tensor(case["kernel_values"], dtype=torch.float32)
            b = torch.tensor(case["bias"], dtype=torch.float32).requires_grad_(True)
            if case["kind"] == "conv":
                G = case["groups"]; Fo = case["filters"]
                w = k.reshape(kh, kw, C // G, Fo).permute(3, 2, 0, 1).contiguous().requires_grad_(True)
                _, pt, pb = axis(H, kh, sh, dh, same); _, pl, pr = axis(W, kw, sw, dw, same)
                y = F.conv2d(F.pad(x, (pl, pr, pt, pb)), w, b, stride=(sh, sw), dilation=(dh, dw), groups=G)
                wgrad = lambda: w.grad.permute(2, 3, 1, 0)
            else:
                Fo = case["filters"]
                w = k.reshape(kh, kw, Fo, C).permute(3, 2, 0, 1).contiguous().requires_grad_(True)
                keh, kew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
                L = H * sh if same else H * sh + max(keh - sh, 0)
                M = W * sw if same else W * sw + max(kew - sw, 0)
                _, pt, pb = axis(L, kh, sh, dh, same); _, pl, pr = axis(M, kw, sw, dw, same)
                full = F.conv_transpose2d(x, w, None, stride=(sh, sw), dilation=(dh, dw))
                full = F.pad(full, (0, max(M + pl + pr - full.shape[3], 0), 0, max(L + pt + pb - full.shape[2], 0)))
                y = full[:, :, pt:pt + L, pl:pl + M] + b.reshape(1, -1, 1, 1)
                wgrad = lambda: w.grad.permute(2, 3, 1, 0)
            g = torch.tensor(case["g"], dtype=torch.float32).reshape(y.shape[0], y.shape[2], y.shape[3], y.shape[1]).permute(0, 3, 1, 2)
            (y * g).sum().backward()
            out[name] = {
                "y": y.detach().permute(0, 2, 3, 1).flatten().tolist(),
                "dx": x.grad.permute(0, 2, 3, 1).flatten().tolist(),
                "dw": wgrad().flatten().tolist(),
                "db": b.grad.tolist(),
            }
        bnc = d["bn"]
        H, W, C = bnc["shape"]
        x = torch.tensor(bnc["x"], dtype=torch.float32).reshape(-1, H, W, C).permute(0, 3, 1, 2).contiguous().requires_grad_(True)
        bn = torch.nn.BatchNorm2d(C, eps=1e-3, momentum=0.01)
        with torch.no_grad():
            bn.weight.copy_(torch.tensor(bnc["gamma"])); bn.bias.copy_(torch.tensor(bnc["beta"]))
        bn.train()
        y = bn(x)
        g = torch.tensor(bnc["g"], dtype=torch.float32).reshape(-1, H, W, C).permute(0, 3, 1, 2)
        (y * g).sum().backward()
        out["bn"] = {"y": y.detach().permute(0, 2, 3, 1).flatten().tolist(), "dx": x.grad.permute(0, 2, 3, 1).flatten().tolist(),
            "dgamma": bn.weight.grad.tolist(), "dbeta": bn.bias.grad.tolist(), "running_mean": bn.running_mean.tolist(),
            "running_var": bn.running_var.tolist()}
        json.dump(out, sys.stdout)
        """;

    private static IEnumerable<(string Name, int[] Shape, Layer Layer)> Cases()
    {
        yield return ("conv_same_stride2_odd", [7, 6, 3], new Conv2D(4, (3, 2), (2, 2), ConvolutionPadding.Same));
        yield return ("conv_valid_dilation2", [7, 8, 2], new Conv2D(3, (3, 3), null, ConvolutionPadding.Valid, (2, 2)));
        yield return ("conv_same_dilation2_stride2", [9, 8, 2], new Conv2D(2, (3, 3), (2, 2), ConvolutionPadding.Same, (2, 2)));
        yield return ("conv_groups2_same", [5, 6, 4], new Conv2D(6, (3, 3), null, ConvolutionPadding.Same, null, groups: 2));
        yield return ("conv_depthwise_stride2", [6, 5, 3], new Conv2D(6, (3, 3), (2, 2), ConvolutionPadding.Same, null, groups: 3));
        yield return ("conv_pointwise", [4, 5, 3], new Conv2D(5, (1, 1)));
        yield return ("transpose_valid_stride2", [3, 4, 3], new Conv2DTranspose(2, (3, 3), (2, 2)));
        yield return ("transpose_same_stride2_even", [3, 3, 2], new Conv2DTranspose(3, (4, 3), (2, 2), ConvolutionPadding.Same));
        yield return ("transpose_valid_stride3", [3, 2, 2], new Conv2DTranspose(2, (2, 2), (3, 3)));
        yield return ("transpose_same_dilation2", [3, 4, 2], new Conv2DTranspose(2, (3, 3), null, ConvolutionPadding.Same, (2, 2)));
    }

    [TorchFact]
    public void ConvolutionsAndChannelBatchNormalization_MatchPyTorch()
    {
        var built = new List<(string Name, Sequential Model, Layer Layer, float[] X, float[] G)>();
        var payload = new List<object>();
        ulong seed = 100;
        foreach ((string name, int[] shape, Layer layer) in Cases())
        {
            var model = new Sequential(shape, [layer], seed: seed++) { Threads = 1 };
            Parameter[] parameters = [.. layer.OwnParameters];
            LayerReference.Normals(parameters[1].Value.Length, seed++, scale: 0.5).CopyTo(parameters[1].Value, 0);
            float[] x = LayerReference.Normals(Rows * model.InputDim, seed++);
            float[] g = LayerReference.Normals(Rows * model.OutputDim, seed++);
            built.Add((name, model, layer, x, g));
            (int kh, int kw, int sh, int sw, int dh, int dw, ConvolutionPadding padding, int groups, int filters, string kind) = layer switch
            {
                Conv2D c => (c.KernelSize.Height, c.KernelSize.Width, c.Strides.Height, c.Strides.Width, c.DilationRate.Height, c.DilationRate.Width,
                    c.Padding, c.Groups, c.Filters, "conv"),
                Conv2DTranspose t => (t.KernelSize.Height, t.KernelSize.Width, t.Strides.Height, t.Strides.Width, t.DilationRate.Height,
                    t.DilationRate.Width, t.Padding, 1, t.Filters, "transpose"),
                _ => throw new InvalidOperationException(),
            };
            payload.Add(new
            {
                name, kind, shape, kernel = new[] { kh, kw }, strides = new[] { sh, sw }, dilation = new[] { dh, dw },
                padding = padding == ConvolutionPadding.Same ? "same" : "valid", groups, filters, x, g,
                kernel_values = parameters[0].Value, bias = parameters[1].Value,
            });
        }
        int[] bnShape = [4, 3, 5];
        float[] bnX = LayerReference.Normals(Rows * 60, 90, scale: 2, shift: 0.5);
        float[] bnG = LayerReference.Normals(Rows * 60, 91);
        float[] gamma = LayerReference.Normals(5, 92, scale: 0.3, shift: 1);
        float[] beta = LayerReference.Normals(5, 93, scale: 0.3);
        JsonElement torch = TorchPython.RunJson(Script, new { cases = payload, bn = new { shape = bnShape, x = bnX, g = bnG, gamma, beta } });

        foreach ((string name, Sequential model, Layer layer, float[] x, float[] g) in built)
        {
            (float[] y, float[] dx) = LayerGradientTests.ForwardBackward(model, x, g, PassMode.Probe);
            JsonElement expected = torch.GetProperty(name);
            Near(TorchPython.Floats(expected, "y"), y, name + " y");
            Near(TorchPython.Floats(expected, "dx"), dx, name + " dx");
            Near(TorchPython.Floats(expected, "dw"), layer.OwnParameters[0].Gradient, name + " dW");
            Near(TorchPython.Floats(expected, "db"), layer.OwnParameters[1].Gradient, name + " db");
        }

        var bn = new BatchNormalization();
        var bnModel = new Sequential(bnShape, [bn], seed: 1) { Threads = 1 };
        gamma.CopyTo(bn.Gamma);
        beta.CopyTo(bn.Beta);
        (float[] bnY, float[] bnDx) = LayerGradientTests.ForwardBackward(bnModel, bnX, bnG, PassMode.Train);
        JsonElement bnExpected = torch.GetProperty("bn");
        Near(TorchPython.Floats(bnExpected, "y"), bnY, "bn y");
        Near(TorchPython.Floats(bnExpected, "dx"), bnDx, "bn dx");
        Near(TorchPython.Floats(bnExpected, "dgamma"), bn.OwnParameters[0].Gradient, "bn dγ");
        Near(TorchPython.Floats(bnExpected, "dbeta"), bn.OwnParameters[1].Gradient, "bn dβ");
        Near(TorchPython.Floats(bnExpected, "running_mean"), bn.MovingMean.ToArray(), "bn running mean");
        // PyTorch's running variance takes the unbiased variance over N = rows·H·W samples; Keras's (ours) the biased one.
        int n = Rows * 12;
        Near([.. TorchPython.Floats(bnExpected, "running_var").Select(v => 0.99 + (v - 0.99) * (n - 1) / n)], bn.MovingVariance.ToArray(), "bn running variance");
    }

    private static void Near(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-8, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance * scale, $"{what}: max |torch − ours| = {worst}, scale {scale}");
    }
}
