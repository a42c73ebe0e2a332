using System.Globalization;
using InitLab.Common;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Persistence;

/// <summary>
/// Moves a model's weights to and from NumPy arrays (.npz) in Keras or PyTorch layout, so a network trained here can be
/// checked in NumPy or PyTorch and weights trained there can be loaded here. One array per tensor, named by the layer's
/// name (inner layers of a block as <c>residual_1.dense_0</c>: a .npz name holds no '/') and the tensor, in the model's
/// save order (<see cref="ModelTensors"/>): Keras <c>NAME.kernel</c> (in, out), <c>NAME.bias</c> (out,),
/// <c>NAME.gamma</c>, <c>NAME.beta</c>, <c>NAME.moving_mean</c>, <c>NAME.moving_variance</c>, <c>NAME.alpha</c> (1,);
/// PyTorch <c>NAME.weight</c> (out, in) for a dense layer, <c>NAME.weight</c>/<c>NAME.bias</c> for a normalization's γ/β
/// and <c>NAME.running_mean</c>/<c>NAME.running_var</c> for its running statistics; a dense layer reading images has
/// its PyTorch weight's inputs in channels-first order, as <c>nn.Flatten</c> of an NCHW tensor gives them
/// (<see cref="ModelTensors"/>). Pooling and dropout layers have no arrays. A plain Dense stack gives
/// <c>dense_0.kernel</c>, <c>dense_0.bias</c>, … as it always did. An archive written by
/// <c>numpy.savez(path, *arrays)</c> (entries <c>arr_0</c>, <c>arr_1</c>, …, e.g. Keras's <c>model.get_weights()</c>)
/// is read by position in the same order.
/// </summary>
public static class WeightArrays
{
    /// <summary>The arrays of <paramref name="model"/> in <paramref name="layout"/>, in layer order.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="layout">Kernel layout and names.</param>
    /// <returns>Name and array pairs.</returns>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> ToArrays(Sequential model, WeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. ModelTensors.Of(model, layout).Select(t => new KeyValuePair<string, NpyArray>(t.ArrayName,
            new NpyArray(t.ToLayout(), t.Shape)))];
    }

    /// <summary>Writes the weights as a .npz archive (as <c>numpy.savez</c>), atomically.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="path">Destination .npz file.</param>
    /// <param name="layout">Kernel layout and names.</param>
    public static void Export(Sequential model, string path, WeightLayout layout) => NpzFile.Write(path, ToArrays(model, layout));

    /// <summary>Reads a .npz archive and copies its arrays into <paramref name="model"/>'s weights.</summary>
    /// <param name="model">A built model whose architecture the arrays must match.</param>
    /// <param name="path">The .npz file.</param>
    /// <param name="layout">Kernel layout and names the archive uses.</param>
    /// <exception cref="DataFormatException">The archive is malformed, or its names or shapes do not match the model;
    /// the model is left unchanged.</exception>
    public static void Import(Sequential model, string path, WeightLayout layout)
    {
        ArgumentNullException.ThrowIfNull(path);
        Import(model, NpzFile.Read(path), layout, Path.GetFileName(path));
    }

    /// <summary>Copies named arrays into <paramref name="model"/>'s weights. Every name and shape is checked before any
    /// weight changes, so a mismatch leaves the model as it was.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="arrays">Arrays by name: the layout's names, or <c>arr_0</c>, <c>arr_1</c>, … by position.</param>
    /// <param name="layout">Kernel layout and names.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <exception cref="DataFormatException">A missing, extra or misshapen array; the model is unchanged.</exception>
    public static void Import(Sequential model, IReadOnlyDictionary<string, NpyArray> arrays, WeightLayout layout, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(source);
        List<ModelTensor> tensors = ModelTensors.Of(model, layout);
        var expected = tensors.Select(t => new KeyValuePair<string, NpyArray>(t.ArrayName, new NpyArray(new float[t.Length], t.Shape))).ToList();
        bool positional = arrays.Count > 0 && arrays.Keys.All(k => k.StartsWith("arr_", StringComparison.Ordinal));
        var matched = new List<NpyArray>();
        for (int i = 0; i < expected.Count; i++)
        {
            string name = positional ? string.Create(CultureInfo.InvariantCulture, $"arr_{i}") : expected[i].Key;
            if (!arrays.TryGetValue(name, out NpyArray? array))
            {
                // Suggest only among names the model does not use: dense_0.weight is near dense_1.weight but is not the typo.
                string? nearest = NameLookup.Nearest(name, arrays.Keys.Except(expected.Select(e => e.Key), StringComparer.Ordinal));
                throw new DataFormatException($"{source}: no array '{name}' ({tensors[i].Description}).{(nearest is null ? string.Empty : $" Did you mean '{nearest}'?")} Found: {string.Join(", ", arrays.Keys)}.");
            }
            IReadOnlyList<int> want = expected[i].Value.Shape;
            if (!array.Shape.SequenceEqual(want))
            {
                bool transposed = want.Count == 2 && array.Shape.Count == 2 && array.Shape[0] == want[1] && array.Shape[1] == want[0];
                string other = layout == WeightLayout.Keras ? "pytorch" : "keras";
                throw new DataFormatException($"{source}: array '{name}' has shape {NpyReader.FormatShape(array.Shape)}, expected {NpyReader.FormatShape(want)} ({tensors[i].Description})."
                    + (transposed ? $" It looks transposed: the file may be in {other} layout." : string.Empty));
            }
            matched.Add(array);
        }
        if (arrays.Count != expected.Count)
        {
            var extra = positional ? arrays.Keys.Skip(expected.Count) : arrays.Keys.Except(expected.Select(e => e.Key), StringComparer.Ordinal);
            throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: holds {arrays.Count} arrays, the model has {expected.Count}; not used: {string.Join(", ", extra)}."));
        }
        for (int i = 0; i < tensors.Count; i++)
        {
            tensors[i].FromLayout([.. matched[i].Values]);
        }
    }

    /// <summary>Parses "keras" or "pytorch" (case-insensitive; "torch" also accepted).</summary>
    /// <param name="layout">The layout name.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentException">Another name; the message lists the valid ones (<see cref="ArgumentException.ParamName"/>
    /// is <c>layout</c>).</exception>
    public static WeightLayout ParseLayout(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.Trim().ToLowerInvariant() switch
        {
            "keras" => WeightLayout.Keras,
            "pytorch" or "torch" => WeightLayout.PyTorch,
            _ => throw new ArgumentException($"Unknown weight layout '{layout}'. Valid: keras ((in, out) kernels), pytorch ((out, in) weights).", nameof(layout)),
        };
    }
}
