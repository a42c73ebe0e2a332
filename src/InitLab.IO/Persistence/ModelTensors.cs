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
/// <param name="Transposed">Whether the layout's array is the transpose of <paramref name="Values"/> (PyTorch kernels).</param>
/// <param name="Description">What the tensor is, for error messages, e.g. "a Keras kernel (in, out)".</param>
internal sealed record ModelTensor(string Path, string ArrayName, float[] Values, int[] Shape, bool Transposed, string Description);

/// <summary>
/// Every tensor a model saves, in one order shared by the model file's weights.bin, .npz and .npy export: layer by layer
/// in forward order, a block's inner layers (branch, then projection) before the block's own α, and per layer its
/// parameters then its state — Keras's <c>get_weights()</c> order (Dense: kernel, bias; BatchNormalization: gamma, beta,
/// moving_mean, moving_variance). For a plain Dense stack this is the parameter order format 2 always used.
/// </summary>
internal static class ModelTensors
{
    /// <summary>The model's tensors in save order.</summary>
    public static List<ModelTensor> Of(Sequential model, WeightLayout layout)
    {
        var tensors = new List<ModelTensor>();
        foreach (Layer layer in model.Layers)
        {
            Visit(layer, layout, tensors);
        }
        return tensors;
    }

    /// <summary>The number of floats of every tensor (parameters and state).</summary>
    public static long FloatCount(Sequential model) => Of(model, WeightLayout.Keras).Sum(t => (long)t.Values.Length);

    private static void Visit(Layer layer, WeightLayout layout, List<ModelTensor> into)
    {
        foreach (Layer inner in layer.Sublayers)
        {
            Visit(inner, layout, into);
        }
        string prefix = layer.Name.Replace('/', '.');
        foreach (var parameter in layer.OwnParameters)
        {
            string own = parameter.Name[(parameter.Name.LastIndexOf('/') + 1)..];
            if (layer is Dense dense && own == "kernel")
            {
                into.Add(layout == WeightLayout.Keras
                    ? new(parameter.Name, prefix + ".kernel", parameter.Value, [dense.InputDim, dense.Units], false, "a Keras kernel (in, out)")
                    : new(parameter.Name, prefix + ".weight", parameter.Value, [dense.Units, dense.InputDim], true, "a PyTorch weight (out, in)"));
                continue;
            }
            into.Add(new(parameter.Name, prefix + "." + ArrayName(own, layout), parameter.Value, [parameter.Value.Length], false, Describe(layer, own)));
        }
        foreach (var (name, values) in layer.State)
        {
            into.Add(new(layer.Name + "/" + name, prefix + "." + ArrayName(name, layout), values, [values.Length], false, Describe(layer, name)));
        }
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

    private static string Describe(Layer layer, string own) => own switch
    {
        "bias" when layer is Dense => "a bias (out,)",
        "bias" => "a scalar bias (1,)",
        "alpha" => "the block's α (1,)",
        _ => string.Create(CultureInfo.InvariantCulture, $"{layer.KindName} {own} ({layer.InputDim},)"),
    };
}
