using System.Globalization;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Persistence;

/// <summary>One saved tensor of a model: the array it lives in (a parameter's values or a layer's state), its names and
/// its shape.</summary>
/// <param name="Path">The engine's name, e.g. <c>residual_1/dense_0/kernel</c>, <c>batch_normalization_2/moving_mean</c>
/// (what model.json lists).</param>
/// <param name="ArrayName">The name in a .npz archive or .npy file: the path with dots, in the layout's vocabulary
/// (<c>residual_1.dense_0.kernel</c>, or <c>residual_1.dense_0.weight</c> for PyTorch).</param>
/// <param name="Values">The live array (copied into by a loader).</param>
/// <param name="Shape">The shape in the layout (a Dense kernel is (in, out) for Keras, (out, in) for PyTorch).</param>
/// <param name="Gather">Where each element of the layout's array (row-major) is in <paramref name="Values"/>:
/// layout[i] = Values[Gather[i]]; null when the two are the same order. A transpose, a reordering of a Dense kernel's
/// inputs from channels-last to channels-first, or both.</param>
/// <param name="Description">What the tensor is, for error messages, e.g. "a Keras kernel (in, out)".</param>
/// <param name="AddsToPrevious">A second array summed into the same values (PyTorch's bias_hh beside bias_ih, whose sum
/// is Keras's one recurrent bias): written as zeros, added on reading after the first array was copied in.</param>
internal sealed record ModelTensor(string Path, string ArrayName, float[] Values, int[] Shape, int[]? Gather, string Description, bool AddsToPrevious = false)
{
    /// <summary>Values in the layout's array (its shape's product; a gather may cover part of <see cref="Values"/>).</summary>
    public int Length => Gather?.Length ?? Values.Length;

    /// <summary>The tensor in the layout's order (a new array).</summary>
    public float[] ToLayout()
    {
        if (AddsToPrevious)
        {
            return new float[Length];
        }
        if (Gather is null)
        {
            return [.. Values];
        }
        var result = new float[Gather.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Values[Gather[i]];
        }
        return result;
    }

    /// <summary>Copies (or, for <see cref="AddsToPrevious"/>, adds) an array in the layout's order into <see cref="Values"/>.</summary>
    public void FromLayout(float[] layout)
    {
        for (int i = 0; i < layout.Length; i++)
        {
            int at = Gather?[i] ?? i;
            Values[at] = AddsToPrevious ? Values[at] + layout[i] : layout[i];
        }
    }
}

/// <summary>
/// Every tensor a model saves, in one order shared by the model file's weights.bin, .npz and .npy export: layer by layer
/// in forward order, a block's inner layers (branch, then projection) before the block's own α, and per layer its
/// parameters then its state — Keras's <c>get_weights()</c> order (Dense: kernel, bias; BatchNormalization: gamma, beta,
/// moving_mean, moving_variance). For a plain Dense stack this is the parameter order format 2 always used.
/// <para>PyTorch layout of a Dense kernel is (out, in), and when the Dense reads images (its input shape is
/// [H, W, C], or its input comes from one through Flatten and layers that keep the order: rows flattened channels-last,
/// as Keras's Flatten does) its in axis is also reordered to channels-first
/// (c·H·W + h·W + w), the order <c>nn.Flatten</c> gives on NCHW tensors, so the array drops into
/// <c>nn.Sequential(…, nn.Flatten(), nn.Linear(…))</c> as it is.</para>
/// <para>Convolution kernels: Keras (kh, kw, in/groups, filters) for Conv2D and (kh, kw, filters, in) for
/// Conv2DTranspose, as the layers hold them; PyTorch <c>Conv2d.weight</c> (filters, in/groups, kh, kw) and
/// <c>ConvTranspose2d.weight</c> (in, filters, kh, kw), element (b, a, i, j) = Keras's (i, j, a, b).</para>
/// </summary>
internal static class ModelTensors
{
    /// <summary>The model's tensors in save order.</summary>
    public static List<ModelTensor> Of(Sequential model, WeightLayout layout)
    {
        var tensors = new List<ModelTensor>();
        IReadOnlyList<int>? image = model.InputShape.Count == 3 ? model.InputShape : null;
        foreach (Layer layer in model.Layers)
        {
            image = Visit(layer, layout, tensors, image);
        }
        return tensors;
    }

    /// <summary>The number of floats of every tensor (parameters and state).</summary>
    public static long FloatCount(Sequential model) => Of(model, WeightLayout.Keras).Sum(t => (long)t.Values.Length);

    /// <summary>Adds <paramref name="layer"/>'s tensors; <paramref name="image"/> is the image its input rows are
    /// (channels-last) flattened from, if any — a Flatten, an element-wise layer or a normalization over the whole row
    /// keeps that order — and the return value is the same for the layer's output.</summary>
    private static IReadOnlyList<int>? Visit(Layer layer, WeightLayout layout, List<ModelTensor> into, IReadOnlyList<int>? image)
    {
        IReadOnlyList<int>? inner = image;
        foreach (Layer sublayer in layer.Sublayers)
        {
            // A block's projection reads the block's input, its branch each layer's predecessor.
            inner = Visit(sublayer, layout, into, layer is Residual block && ReferenceEquals(sublayer, block.Projection) ? image : inner);
        }
        string prefix = layer.Name.Replace('/', '.');
        foreach (var parameter in layer.OwnParameters)
        {
            string own = parameter.Name[(parameter.Name.LastIndexOf('/') + 1)..];
            if (layer is Dense dense && own == "kernel")
            {
                into.Add(layout == WeightLayout.Keras
                    ? new(parameter.Name, prefix + ".kernel", parameter.Value, [dense.InputDim, dense.Units], null, "a Keras kernel (in, out)")
                    : new(parameter.Name, prefix + ".weight", parameter.Value, [dense.Units, dense.InputDim], DenseWeightGather(dense, image),
                        image is not null ? "a PyTorch weight (out, in) with in ordered channels-first (c, h, w)" : "a PyTorch weight (out, in)"));
                continue;
            }
            if (layer is RecurrentLayer recurrent)
            {
                AddRecurrent(recurrent, own, parameter.Name, prefix, parameter.Value, layout, into);
                continue;
            }
            if (own == "kernel" && layer is Conv2D or Conv2DTranspose)
            {
                // Keras (kh, kw, A, B); PyTorch (B, A, kh, kw): Conv2d (filters, C/groups, kh, kw), ConvTranspose2d (C, filters, kh, kw).
                IReadOnlyList<int> keras = layer is Conv2D conv ? conv.KernelShape : ((Conv2DTranspose)layer).KernelShape;
                string what = layer is Conv2D ? "(kh, kw, in/groups, filters)" : "(kh, kw, filters, in)";
                into.Add(layout == WeightLayout.Keras
                    ? new(parameter.Name, prefix + ".kernel", parameter.Value, [.. keras], null, $"a Keras {layer.KindName} kernel {what}")
                    : new(parameter.Name, prefix + ".weight", parameter.Value, [keras[3], keras[2], keras[0], keras[1]],
                        KerasToTorchKernelGather(keras[0], keras[1], keras[2], keras[3]),
                        layer is Conv2D ? "a PyTorch Conv2d weight (filters, in/groups, kh, kw)" : "a PyTorch ConvTranspose2d weight (in, filters, kh, kw)"));
                continue;
            }
            into.Add(new(parameter.Name, prefix + "." + ArrayName(own, layout), parameter.Value, [parameter.Value.Length], null, Describe(layer, own, parameter.Value.Length)));
        }
        foreach (var (name, values) in layer.State)
        {
            into.Add(new(layer.Name + "/" + name, prefix + "." + ArrayName(name, layout), values, [values.Length], null, Describe(layer, name, values.Length)));
        }
        if (layer.OutputShape.Count == 3)
        {
            return layer.OutputShape;
        }
        return layer is Flatten or Dropout or ActivationLayer or ScalarBias or BatchNormalization or LayerNormalization ? image : null;
    }

    /// <summary>
    /// A recurrent layer's tensors. Keras: <c>kernel</c> (F, G·units), <c>recurrent_kernel</c> (units, G·units),
    /// <c>bias</c> (G·units) — (2, 3·units) for a reset-after GRU — gates side by side in Keras's order. PyTorch (as
    /// <c>nn.RNN/LSTM/GRU</c>'s state_dict): <c>weight_ih_l0</c> (G·units, F), <c>weight_hh_l0</c> (G·units, units),
    /// <c>bias_ih_l0</c> and <c>bias_hh_l0</c> (G·units), in PyTorch's gate order: LSTM i, f, g, o is Keras's i, f, c, o;
    /// GRU r, z, n is Keras's z, r, h reordered (blocks 1, 0, 2). Keras's one bias is PyTorch's two summed, so it is
    /// written as bias_ih with bias_hh zero and read back as their sum; a reset-after GRU's two bias rows are bias_ih and
    /// bias_hh. A reset-before GRU has no PyTorch counterpart (nn.GRU always resets after) and is refused in that layout.
    /// </summary>
    private static void AddRecurrent(RecurrentLayer layer, string own, string path, string prefix, float[] values, WeightLayout layout, List<ModelTensor> into)
    {
        int units = layer.Units, gates = layer.GateCount, features = layer.Features, width = gates * units;
        bool twoBiases = layer is Gru { ResetAfter: true };
        if (layout == WeightLayout.Keras)
        {
            (int[] shape, string what) = own switch
            {
                "kernel" => (new[] { features, width }, "(features, gates·units)"),
                "recurrent_kernel" => ([units, width], "(units, gates·units)"),
                _ => twoBiases ? ([2, width], "(2, 3·units): input and recurrent bias") : ([width], "(gates·units,)"),
            };
            into.Add(new(path, prefix + "." + own, values, shape, null, $"a Keras {layer.KindName} {own} {what}"));
            return;
        }
        if (layer is Gru { ResetAfter: false })
        {
            throw new NotSupportedException($"GRU '{layer.Name}' has reset_after=false (the reset gate before the recurrent product), which PyTorch's nn.GRU cannot compute (it always resets after); export it in Keras layout.");
        }
        // PyTorch block b holds Keras block order[b].
        int[] order = layer is Gru ? [1, 0, 2] : [.. Enumerable.Range(0, gates)];
        string torch = layer.KindName switch { "SimpleRNN" => "nn.RNN", "LSTM" => "nn.LSTM", _ => "nn.GRU" };
        switch (own)
        {
            case "kernel":
            case "recurrent_kernel":
                int inputs = own == "kernel" ? features : units;
                var gather = new int[width * inputs];
                for (int b = 0; b < gates; b++)
                {
                    for (int k = 0; k < units; k++)
                    {
                        for (int f = 0; f < inputs; f++)
                        {
                            gather[(b * units + k) * inputs + f] = f * width + order[b] * units + k;
                        }
                    }
                }
                string name = own == "kernel" ? "weight_ih_l0" : "weight_hh_l0";
                into.Add(new(path, prefix + "." + name, values, [width, inputs], gather, $"a PyTorch {torch} {name} (gates·units, {(own == "kernel" ? "features" : "units")})"));
                return;
            default:
                int[] Row(int row) => [.. Enumerable.Range(0, width).Select(p => row * width + order[p / units] * units + p % units)];
                into.Add(new(path, prefix + ".bias_ih_l0", values, [width], Row(0), $"a PyTorch {torch} bias_ih_l0 (gates·units,)"));
                into.Add(new(path, prefix + ".bias_hh_l0", values, [width], twoBiases ? Row(1) : Row(0),
                    $"a PyTorch {torch} bias_hh_l0 (gates·units,){(twoBiases ? string.Empty : ", added to bias_ih_l0")}", AddsToPrevious: !twoBiases));
                return;
        }
    }

    /// <summary>Where each element of the PyTorch (B, A, kh, kw) array is in a Keras (kh, kw, A, B) kernel: PyTorch's
    /// (b, a, i, j) is Keras's (i, j, a, b). Also ONNX's Conv (M, C/group, kH, kW) and ConvTranspose (C, M/group, kH, kW)
    /// weight layouts.</summary>
    internal static int[] KerasToTorchKernelGather(int kernelHeight, int kernelWidth, int a, int b)
    {
        var gather = new int[checked(kernelHeight * kernelWidth * a * b)];
        int n = 0;
        for (int ob = 0; ob < b; ob++)
        {
            for (int ia = 0; ia < a; ia++)
            {
                for (int i = 0; i < kernelHeight; i++)
                {
                    for (int j = 0; j < kernelWidth; j++)
                    {
                        gather[n++] = ((i * kernelWidth + j) * a + ia) * b + ob;
                    }
                }
            }
        }
        return gather;
    }

    /// <summary>PyTorch weight[o, j] = kernel[i(j), o]: j is the input index in PyTorch's order (channels-first for
    /// images), i(j) the same input channels-last.</summary>
    private static int[] DenseWeightGather(Dense dense, IReadOnlyList<int>? image)
    {
        int inputs = dense.InputDim, units = dense.Units;
        if (image is not null && image[0] * image[1] * image[2] != inputs)
        {
            image = null;
        }
        int height = image?[0] ?? 1, width = image?[1] ?? 1, channels = image?[2] ?? inputs;
        var gather = new int[inputs * units];
        for (int o = 0; o < units; o++)
        {
            for (int j = 0; j < inputs; j++)
            {
                // j = (c·H + h)·W + w channels-first; i = (h·W + w)·C + c channels-last.
                int c = j / (height * width), h = j / width % height, w = j % width;
                int i = (h * width + w) * channels + c;
                gather[o * inputs + j] = i * units + o;
            }
        }
        return gather;
    }

    /// <summary>Keras names stay; PyTorch calls γ and β of a normalization weight and bias, and its running statistics
    /// running_mean and running_var (<c>nn.BatchNorm1d</c>, <c>nn.LayerNorm</c>).</summary>
    private static string ArrayName(string own, WeightLayout layout) => layout == WeightLayout.Keras ? own : own switch
    {
        "gamma" => "weight",
        "beta" => "bias",
        "moving_mean" => "running_mean",
        "moving_variance" => "running_var",
        _ => own,
    };

    private static string Describe(Layer layer, string own, int length) => own switch
    {
        "bias" when layer is Dense => "a bias (out,)",
        "bias" when layer is Conv2D or Conv2DTranspose => "a bias (filters,)",
        "bias" => "a scalar bias (1,)",
        "alpha" => "the block's α (1,)",
        _ => string.Create(CultureInfo.InvariantCulture, $"{layer.KindName} {own} ({length},)"),
    };
}
