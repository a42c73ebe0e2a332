using System.Globalization;
using InitLab.Common;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Persistence;

/// <summary>
/// Moves a model's weights to and from NumPy arrays (.npz) in Keras or PyTorch layout, so a network trained here can be
/// checked in NumPy or PyTorch and weights trained there can be loaded here. Per dense layer, in order:
/// Keras <c>NAME.kernel</c> (in, out) and <c>NAME.bias</c> (out,); PyTorch <c>NAME.weight</c> (out, in) and
/// <c>NAME.bias</c> (out,), where NAME is the layer's name (<c>dense_0</c>, …). An archive written by
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
        var arrays = new List<KeyValuePair<string, NpyArray>>();
        foreach (Dense layer in model.Layers)
        {
            float[] kernel = layer.Kernel.ToArray();
            arrays.Add(layout == WeightLayout.Keras
                ? new(layer.Name + ".kernel", new NpyArray(kernel, [layer.InputDim, layer.Units]))
                : new(layer.Name + ".weight", new NpyArray(Transpose(kernel, layer.InputDim, layer.Units), [layer.Units, layer.InputDim])));
            if (layer.UseBias)
            {
                arrays.Add(new(layer.Name + ".bias", new NpyArray(layer.Bias.ToArray(), [layer.Units])));
            }
        }
        return arrays;
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
        var expected = ToArrays(model, layout);
        bool positional = arrays.Count > 0 && arrays.Keys.All(k => k.StartsWith("arr_", StringComparison.Ordinal));
        var matched = new List<NpyArray>();
        for (int i = 0; i < expected.Count; i++)
        {
            string name = positional ? string.Create(CultureInfo.InvariantCulture, $"arr_{i}") : expected[i].Key;
            if (!arrays.TryGetValue(name, out NpyArray? array))
            {
                // Suggest only among names the model does not use: dense_0.weight is near dense_1.weight but is not the typo.
                string? nearest = NameLookup.Nearest(name, arrays.Keys.Except(expected.Select(e => e.Key), StringComparer.Ordinal));
                throw new DataFormatException($"{source}: no array '{name}' ({Describe(expected[i], layout)}).{(nearest is null ? string.Empty : $" Did you mean '{nearest}'?")} Found: {string.Join(", ", arrays.Keys)}.");
            }
            IReadOnlyList<int> want = expected[i].Value.Shape;
            if (!array.Shape.SequenceEqual(want))
            {
                bool transposed = want.Count == 2 && array.Shape.Count == 2 && array.Shape[0] == want[1] && array.Shape[1] == want[0];
                string other = layout == WeightLayout.Keras ? "pytorch" : "keras";
                throw new DataFormatException($"{source}: array '{name}' has shape {NpyReader.FormatShape(array.Shape)}, expected {NpyReader.FormatShape(want)} ({Describe(expected[i], layout)})."
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
        int at = 0;
        foreach (Dense layer in model.Layers)
        {
            float[] kernel = matched[at++].Values;
            (layout == WeightLayout.Keras ? kernel : Transpose(kernel, layer.Units, layer.InputDim)).CopyTo(layer.Kernel);
            if (layer.UseBias)
            {
                matched[at++].Values.CopyTo(layer.Bias);
            }
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

    private static string Describe(KeyValuePair<string, NpyArray> expected, WeightLayout layout) =>
        expected.Key.EndsWith(".bias", StringComparison.Ordinal) ? "a bias (out,)"
            : layout == WeightLayout.Keras ? "a Keras kernel (in, out)" : "a PyTorch weight (out, in)";

    /// <summary>The transpose of a rows×cols row-major matrix.</summary>
    private static float[] Transpose(float[] matrix, int rows, int cols)
    {
        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[c * rows + r] = matrix[r * cols + c];
            }
        }
        return result;
    }
}
