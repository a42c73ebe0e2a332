using System.Text.Json;
using InitLab.Layers;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: pooling against PyTorch (float32, the same NHWC images permuted to NCHW, the same cotangent): outputs and
/// ∂/∂x of max, average and global average pooling, "valid" and "same". PyTorch has no TensorFlow "same": the script
/// pads explicitly with <c>F.pad</c> (⌊p/2⌋ before, the rest after) — −∞ for max; for average it divides the
/// zero-padded window sum by the pooled count of a padded ones-image, i.e. Keras's mean over the real elements. It also
/// runs PyTorch's own <c>nn.AvgPool2d(padding=1)</c> with its default <c>count_include_pad=True</c> on a symmetric case,
/// to pin the documented difference (that one divides corners by 9), and <c>count_include_pad=False</c>, which agrees.
/// Dropout's kept value 1/(1 − p) is compared with <c>F.dropout</c>'s. Tolerance 1e-5 relative to the largest entry
/// (float32 sums in different orders).
/// </summary>
public class TorchPoolingTests
{
    private const double Tolerance = 1e-5;

    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        d = json.load(sys.stdin)
        out = {}
        for c in d["cases"]:
            H, W, C = c["shape"]
            x0 = torch.tensor(c["x"], dtype=torch.float32).reshape(1, H, W, C).permute(0, 3, 1, 2)
            g = torch.tensor(c["g"], dtype=torch.float32)
            kh, kw, sh, sw = c["pool"]
            x = x0.clone().requires_grad_(True)
            if c["kind"] == "global":
                y = F.adaptive_avg_pool2d(x, 1)
            else:
                if c["padding"] == "same":
                    oh, ow = -(-H // sh), -(-W // sw)
                    ph, pw = max((oh - 1) * sh + kh - H, 0), max((ow - 1) * sw + kw - W, 0)
                else:
                    ph, pw = 0, 0
                pads = [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2]
                if c["kind"] == "max":
                    y = F.max_pool2d(F.pad(x, pads, value=float("-inf")), (kh, kw), (sh, sw))
                else:
                    total = F.avg_pool2d(F.pad(x, pads), (kh, kw), (sh, sw), divisor_override=1)
                    count = F.avg_pool2d(F.pad(torch.ones_like(x), pads), (kh, kw), (sh, sw), divisor_override=1)
                    y = total / count
            y_nhwc = y.permute(0, 2, 3, 1).reshape(-1)
            (y_nhwc * g).sum().backward()
            out[c["name"] + "_y"] = y_nhwc.detach().tolist()
            out[c["name"] + "_dx"] = x.grad.permute(0, 2, 3, 1).reshape(-1).tolist()
        x = torch.arange(1, 10, dtype=torch.float32).reshape(1, 1, 3, 3)
        out["torch_default_avg"] = torch.nn.AvgPool2d(3, 1, padding=1)(x).reshape(-1).tolist()
        out["torch_exclude_pad_avg"] = torch.nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)(x).reshape(-1).tolist()
        torch.manual_seed(0)
        kept = F.dropout(torch.ones(1000), p=0.3, training=True)
        out["dropout_kept"] = [float(kept.max())]
        json.dump(out, sys.stdout)
        """;

    private static readonly (string Name, string Kind, int[] Shape, int[] Pool, string Padding)[] Cases =
    [
        ("max_valid", "max", [5, 5, 2], [2, 2, 2, 2], "valid"),
        ("max_same_uneven", "max", [5, 4, 3], [3, 3, 2, 2], "same"),
        ("max_overlap", "max", [4, 5, 2], [3, 3, 1, 1], "valid"),
        ("max_rect_same", "max", [5, 7, 2], [2, 3, 1, 2], "same"),
        ("avg_valid", "avg", [5, 5, 2], [2, 2, 2, 2], "valid"),
        ("avg_same_uneven", "avg", [5, 4, 3], [3, 3, 2, 2], "same"),
        ("avg_same_symmetric", "avg", [3, 3, 2], [3, 3, 1, 1], "same"),
        ("avg_rect_same", "avg", [5, 7, 2], [2, 3, 1, 2], "same"),
        ("global", "global", [3, 4, 2], [1, 1, 1, 1], "valid"),
    ];

    private static Layer Make(string kind, int[] pool, string padding) => kind switch
    {
        "max" => new MaxPool2D(pool[0], pool[1], pool[2], pool[3], padding),
        "avg" => new AvgPool2D(pool[0], pool[1], pool[2], pool[3], padding),
        _ => new GlobalAveragePooling2D(),
    };

    [TorchFact]
    public void Pooling_MatchesPyTorchWithTensorFlowSamePadding()
    {
        var inputs = new List<object>();
        var ours = new Dictionary<string, (float[] Y, float[] Dx)>();
        ulong seed = 100;
        foreach ((string name, string kind, int[] shape, int[] pool, string padding) in Cases)
        {
            Layer layer = Make(kind, pool, padding);
            var model = new Sequential(shape, [layer], seed: 1) { Threads = 1 };
            float[] x = PoolingReference.DistinctValues(model.InputDim, seed++);
            float[] g = LayerReference.Normals(model.OutputDim, seed++);
            ours[name] = LayerGradientTests.ForwardBackward(model, x, g, PassMode.Probe);
            inputs.Add(new { name, kind, shape, pool, padding, x, g });
        }
        JsonElement torch = TorchPython.RunJson(Script, new { cases = inputs });
        foreach ((string name, (float[] y, float[] dx)) in ours)
        {
            Near(TorchPython.Floats(torch, name + "_y"), y, name + " y");
            Near(TorchPython.Floats(torch, name + "_dx"), dx, name + " dx");
        }

        // PyTorch's default counts the padding (corner 12/9); excluding it gives Keras's 12/4 — what we compute.
        float[] keras = PoolingForwardTests.Pool(new AvgPool2D(3, strides: 1, padding: "same"), [3, 3, 1], PoolingReference.Ramp(9));
        Near(TorchPython.Floats(torch, "torch_exclude_pad_avg"), keras, "count_include_pad=False");
        Assert.Equal(12 / 9.0, TorchPython.Floats(torch, "torch_default_avg")[0], 5);
        Assert.Equal(3.0, keras[0], 5);

        Near(TorchPython.Floats(torch, "dropout_kept"), [new Dropout(0.3).Scale], "dropout kept value 1/(1 − p)");
    }

    private static void Near(double[] expected, float[] actual, string what) => TorchPython.AssertNear(expected, actual, Tolerance, what);
}
