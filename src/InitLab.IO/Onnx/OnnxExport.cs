using System.Buffers.Binary;
using Google.Protobuf;
using InitLab.Activations;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Models;
using InitLab.Onnx.Proto;
using InitLab.Persistence;
using InitLab.Training;

namespace InitLab.Onnx;

/// <summary>
/// Writes a model as an ONNX file (IR version <see cref="IrVersion"/>, default-domain opset <see cref="Opset"/>) that
/// ONNX Runtime and other ONNX readers run: input <c>features</c> (float32, [batch, inputs]) of <b>raw</b> features,
/// output <c>output</c> (float32, [batch, outputs]) — class probabilities for a softmax or sigmoid head, predictions in
/// the target's own units for regression.
/// <list type="bullet">
/// <item>The stored feature scaler (standard or minmax, x′ = (x − offset)/scale) becomes Sub and Div in front.</item>
/// <item>Each dense layer is a Gemm (x·W + b, W in (in, out) layout), or a MatMul without bias, then its activation:
/// Relu, LeakyRelu(alpha), Elu(alpha), Selu(alpha, gamma), Sigmoid, Tanh, Softplus, Softmax(axis = −1); linear adds
/// nothing; exact GELU is x·½(1 + erf(x/√2)) from Div, Erf, Add, Mul (the Gelu operator needs opset 20).</item>
/// <item>BatchNormalization is the BatchNormalization operator in inference mode (the running mean and variance,
/// epsilon); LayerNormalization the LayerNormalization operator (axis −1, epsilon); an Activation layer its activation;
/// a ScalarBias an Add of a one-element constant.</item>
/// <item>A residual block is its branch's nodes, the shortcut (the block's input, or a MatMul by the projection), and
/// Add(shortcut, branch); an α other than a fixed 1 first scales the branch by Mul (trained α at its current value).</item>
/// <item>A regression target scaler (standardised targets) becomes Mul by the std and Add of the mean behind.</item>
/// <item>Pooling: MaxPooling2D is MaxPool, AveragePooling2D AveragePool with <c>count_include_pad=0</c> (Keras divides by
/// the real elements of a window), both with explicit <c>pads</c> [top, left, bottom, right] = Keras's "same" split
/// (⌊p/2⌋ before, the rest after; <see cref="Pooling2D"/>); GlobalAveragePooling2D is GlobalAveragePool then Flatten.
/// Dropout is the identity at inference and adds no node.</item>
/// <item>Conv2D is Conv (kernel_shape, strides, dilations, group, pads = Keras's "same" split; weight (filters,
/// C/groups, kh, kw), bias in the node) then its activation; Conv2DTranspose is ConvTranspose (weight (C, filters, kh,
/// kw); pads those of the forward convolution, and output_padding where Keras's "valid" output n·s exceeds ONNX's
/// s·(n − 1) + k_eff); Flatten is the Transpose-and-Flatten back to rows (or nothing on rows); BatchNormalization of
/// shaped rows (per channel) runs on the NCHW tensor.</item>
/// <item>SimpleRNN, LSTM and GRU are ONNX's RNN, LSTM and GRU operators on a time-major [T, batch, F] tensor (one
/// Reshape and Transpose in, a Squeeze out; stacked recurrent layers stay time-major), with the gate blocks reordered to
/// ONNX's (LSTM i, o, f, c; GRU z, r, h with linear_before_reset = 1 for reset_after) — see AddRecurrent.</item>
/// </list>
/// <para>Layout. InitLab's rows are Keras's channels-last images flattened ([batch, H·W·C]); ONNX's spatial operators
/// read NCHW. The graph keeps every tensor flat, as the rows are, until a spatial layer comes: then one Reshape to
/// [batch, H, W, C] and one Transpose (0, 3, 1, 2) to NCHW, and the tensor stays NCHW through the spatial layers and
/// the element-wise ones (activations, a scalar bias, a residual Add of two NCHW tensors of one shape) until a layer that
/// reads whole rows (Dense, LayerNormalization, softmax, the graph's output), where a Transpose (0, 2, 3, 1) and a
/// Flatten restore Keras's flattening order. So a chain of spatial layers costs two transposes, not two per layer, and
/// the graph's input and output stay the rows InitLab reads and writes.</para>
/// Constants are stored as float32: offsets and scales are rounded once (InitLab scales in double, so the two differ by
/// about one float32 ulp of the scaled feature).
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX IR version written (8: ONNX 1.10 and later; ONNX Runtime 1.10 and later).</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain operator set written (17: every operator used here has its current definition there).</summary>
    public const long Opset = 17;

    /// <summary>The graph's input name.</summary>
    public const string InputName = "features";

    /// <summary>The graph's output name.</summary>
    public const string OutputName = "output";

    /// <summary>Writes <paramref name="model"/> with its preprocessing to <paramref name="path"/>, atomically.</summary>
    /// <param name="model">The trained model (its feature scaler and target scaler are exported as ops).</param>
    /// <param name="path">Destination .onnx file.</param>
    public static void Save(TrainedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        ModelProto proto = Build(model.Network, model.FeatureScaler, model.TargetScaler);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    /// <summary>Writes a bare network (inputs taken as they are) to <paramref name="path"/>, atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">Destination .onnx file.</param>
    public static void Save(Sequential network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(path);
        ModelProto proto = Build(network, null, null);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    /// <summary>The ONNX model as bytes (what <see cref="Save(TrainedModel, string)"/> writes).</summary>
    /// <param name="model">The trained model.</param>
    /// <returns>The serialized ModelProto.</returns>
    public static byte[] ToBytes(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model.Network, model.FeatureScaler, model.TargetScaler).ToByteArray();
    }

    /// <summary>The ONNX model of a bare network as bytes.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The serialized ModelProto.</returns>
    public static byte[] ToBytes(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Build(network, null, null).ToByteArray();
    }

    private static ModelProto Build(Sequential network, Scaler? scaler, TargetScaler? targetScaler)
    {
        var graph = new GraphProto { Name = "initlab" };
        graph.Input.Add(Value(InputName, network.InputDim));
        string input = InputName;
        if (scaler is not null)
        {
            graph.Initializer.Add(Constant("scaler.offset", scaler.Offset.Select(v => (float)v).ToArray(), scaler.Offset.Count));
            graph.Initializer.Add(Constant("scaler.scale", scaler.Scale.Select(v => (float)v).ToArray(), scaler.Scale.Count));
            input = Node(graph, "Sub", [input, "scaler.offset"], "scaled.centred");
            input = Node(graph, "Div", [input, "scaler.scale"], "scaled");
        }
        var value = new GraphValue(input, TensorLayout.Flat, [.. network.InputShape]);
        foreach (Layer layer in network.Layers)
        {
            value = AddLayer(graph, layer, value);
        }
        string x = ToFlat(graph, value, "output").Name;
        if (targetScaler is not null)
        {
            graph.Initializer.Add(Constant("target.std", targetScaler.StdDev.Select(v => (float)v).ToArray(), targetScaler.StdDev.Count));
            graph.Initializer.Add(Constant("target.mean", targetScaler.Mean.Select(v => (float)v).ToArray(), targetScaler.Mean.Count));
            x = Node(graph, "Mul", [x, "target.std"], "target.scaled");
            x = Node(graph, "Add", [x, "target.mean"], "target");
        }
        // The last node writes the graph output directly; a graph whose output is not the last node's (a bare
        // input-to-output graph, or one ending in a dropout) gets an Identity.
        if (graph.Node.Count == 0 || graph.Node[^1].Output[0] != x)
        {
            x = Node(graph, "Identity", [x], OutputName);
        }
        else
        {
            graph.Node[^1].Output[0] = OutputName;
        }
        graph.Output.Add(Value(OutputName, network.OutputDim));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "InitLab",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
            DocString = network.ToString(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    /// <summary>How a value's tensor is laid out: rows ([batch, values], Keras's flattening) or NCHW images.</summary>
    private enum TensorLayout
    {
        Flat,
        ChannelsFirst,

        /// <summary>[T, batch, F]: what ONNX's RNN, LSTM and GRU read and write.</summary>
        TimeMajor,
    }

    /// <summary>A tensor of the graph: its name, layout, and the Keras shape of one row (channels-last).</summary>
    private sealed record GraphValue(string Name, TensorLayout Layout, int[] Shape);

    /// <summary>Appends <paramref name="layer"/>'s nodes reading <paramref name="x"/>; returns its output.</summary>
    private static GraphValue AddLayer(GraphProto graph, Layer layer, GraphValue x)
    {
        string name = layer.Name;
        int[] shape = [.. layer.OutputShape];
        switch (layer)
        {
            case Dense dense:
                string input = ToFlat(graph, x, name).Name;
                graph.Initializer.Add(Constant(name + ".kernel", dense.Kernel.ToArray(), dense.InputDim, dense.Units));
                string z;
                if (dense.UseBias)
                {
                    graph.Initializer.Add(Constant(name + ".bias", dense.Bias.ToArray(), dense.Units));
                    z = Node(graph, "Gemm", [input, name + ".kernel", name + ".bias"], name + ".z");
                }
                else
                {
                    z = Node(graph, "MatMul", [input, name + ".kernel"], name + ".z");
                }
                return new(AddActivation(graph, dense.Activation, z, name), TensorLayout.Flat, shape);
            case BatchNormalization norm:
                // ONNX normalizes along axis 1: the channels of shaped rows (NCHW, or [N, F, T]), else a flat row's values.
                x = norm.Features != norm.InputDim ? ToChannelsFirst(graph, x, name) : ToFlat(graph, x, name);
                graph.Initializer.Add(Constant(name + ".gamma", norm.Gamma.ToArray(), norm.Gamma.Length));
                graph.Initializer.Add(Constant(name + ".beta", norm.Beta.ToArray(), norm.Beta.Length));
                graph.Initializer.Add(Constant(name + ".moving_mean", norm.MovingMean.ToArray(), norm.MovingMean.Length));
                graph.Initializer.Add(Constant(name + ".moving_variance", norm.MovingVariance.ToArray(), norm.MovingVariance.Length));
                // training_mode defaults to 0: y = γ·(x − running mean)/√(running variance + ε) + β, what Predict computes.
                return x with
                {
                    Name = Node(graph, "BatchNormalization", [x.Name, name + ".gamma", name + ".beta", name + ".moving_mean", name + ".moving_variance"],
                        name + ".y", Float("epsilon", norm.Epsilon)),
                };
            case LayerNormalization norm:
                // Over the whole row, as the layer normalizes.
                x = ToFlat(graph, x, name);
                graph.Initializer.Add(Constant(name + ".gamma", norm.Gamma.ToArray(), norm.InputDim));
                graph.Initializer.Add(Constant(name + ".beta", norm.Beta.ToArray(), norm.InputDim));
                return x with { Name = Node(graph, "LayerNormalization", [x.Name, name + ".gamma", name + ".beta"], name + ".y", Int("axis", -1), Float("epsilon", norm.Epsilon)) };
            case ActivationLayer activation:
                // Element-wise in any layout; softmax normalizes the whole row, so it reads the flat row.
                if (activation.Activation is Softmax)
                {
                    x = ToFlat(graph, x, name);
                }
                return x with { Name = AddActivation(graph, activation.Activation, x.Name, name) };
            case ScalarBias bias:
                graph.Initializer.Add(Constant(name + ".bias", [bias.Value], 1));
                return x with { Name = Node(graph, "Add", [x.Name, name + ".bias"], name + ".y") };
            case Dropout:
                return x;
            case Flatten:
                return ToFlat(graph, x, name) with { Shape = shape };
            case Conv2D conv:
                return new(AddConvolution(graph, conv, ToChannelsFirst(graph, x, name).Name), TensorLayout.ChannelsFirst, shape);
            case Conv2DTranspose conv:
                return new(AddConvolution(graph, conv, ToChannelsFirst(graph, x, name).Name), TensorLayout.ChannelsFirst, shape);
            case RecurrentLayer recurrent:
                return AddRecurrent(graph, recurrent, ToTimeMajor(graph, x, name).Name) with { Shape = shape };
            case Pooling2D pool:
                return new(AddPooling(graph, pool, ToChannelsFirst(graph, x, name).Name), TensorLayout.ChannelsFirst, shape);
            case GlobalAveragePooling2D:
                string pooled = Node(graph, "GlobalAveragePool", [ToChannelsFirst(graph, x, name).Name], name + ".pooled");
                return new(Node(graph, "Flatten", [pooled], name + ".y", Int("axis", 1)), TensorLayout.Flat, shape);
            case Residual block:
                GraphValue branch = x;
                foreach (Layer inner in block.Branch)
                {
                    branch = AddLayer(graph, inner, branch);
                }
                GraphValue shortcut = block.Projection is Dense projection ? AddLayer(graph, projection, x) : x;
                if (block.Alpha != 1)
                {
                    graph.Initializer.Add(Constant(name + ".alpha", [block.Alpha], 1));
                    branch = branch with { Name = Node(graph, "Mul", [branch.Name, name + ".alpha"], name + ".scaled") };
                }
                // Two NCHW tensors of one shape add as they are; anything else meets as rows.
                if (branch.Layout != shortcut.Layout || !branch.Shape.SequenceEqual(shortcut.Shape))
                {
                    branch = ToFlat(graph, branch, name + ".branch");
                    shortcut = ToFlat(graph, shortcut, name + ".shortcut");
                }
                return branch with { Name = Node(graph, "Add", [shortcut.Name, branch.Name], name + ".y"), Shape = shape };
            default:
                throw new NotSupportedException($"OnnxExport: layer '{name}' is a {layer.KindName}, which has no ONNX mapping yet.");
        }
    }

    /// <summary>MaxPool or AveragePool with Keras's window, strides and padding split (the remarks).</summary>
    private static string AddPooling(GraphProto graph, Pooling2D pool, string x)
    {
        // The padding after is what the last window needs beyond the input, less the padding before ("valid": none,
        // and rows no window reaches are dropped, as ONNX's floor does).
        int padBottom = Math.Max((pool.OutputHeight - 1) * pool.StrideHeight + pool.PoolHeight - pool.InputHeight - pool.PadTop, 0);
        int padRight = Math.Max((pool.OutputWidth - 1) * pool.StrideWidth + pool.PoolWidth - pool.InputWidth - pool.PadLeft, 0);
        AttributeProto[] attributes =
        [
            Ints("kernel_shape", pool.PoolHeight, pool.PoolWidth),
            Ints("strides", pool.StrideHeight, pool.StrideWidth),
            Ints("pads", pool.PadTop, pool.PadLeft, padBottom, padRight),
        ];
        return pool is MaxPool2D
            ? Node(graph, "MaxPool", [x], pool.Name + ".y", attributes)
            : Node(graph, "AveragePool", [x], pool.Name + ".y", [.. attributes, Int("count_include_pad", 0)]);
    }

    /// <summary>Conv with the kernel in ONNX's (filters, C/group, kh, kw) layout, Keras's "same" pads split as the
    /// layer does, dilations and groups; then the bias (in Conv) and the activation.</summary>
    private static string AddConvolution(GraphProto graph, Conv2D conv, string x)
    {
        IReadOnlyList<int> k = conv.KernelShape; // (kh, kw, C/groups, filters)
        IReadOnlyList<int> input = conv.InputShape, output = conv.OutputShape;
        (long top, long bottom) = ConvolutionPads(input[0], output[0], conv.KernelSize.Height, conv.Strides.Height, conv.DilationRate.Height);
        (long left, long right) = ConvolutionPads(input[1], output[1], conv.KernelSize.Width, conv.Strides.Width, conv.DilationRate.Width);
        return AddConvolutionNode(graph, "Conv", conv.Name, x, conv.Kernel.ToArray(), k, conv.UseBias ? conv.Bias.ToArray() : null, conv.Activation,
            Ints("kernel_shape", k[0], k[1]), Ints("strides", conv.Strides.Height, conv.Strides.Width),
            Ints("dilations", conv.DilationRate.Height, conv.DilationRate.Width), Ints("pads", top, left, bottom, right), Int("group", conv.Groups));
    }

    /// <summary>ConvTranspose with the kernel in ONNX's (C, filters, kh, kw) layout. Keras's output is n·s ("same") or
    /// n·s + max(k_eff − s, 0) ("valid"); ONNX's is s·(n − 1) + k_eff − pads + output_padding, so the pads are the
    /// forward convolution's (extra one at the end) and a shortfall (k_eff &lt; s) becomes output_padding at the end.</summary>
    private static string AddConvolution(GraphProto graph, Conv2DTranspose conv, string x)
    {
        IReadOnlyList<int> k = conv.KernelShape; // (kh, kw, filters, C)
        IReadOnlyList<int> input = conv.InputShape, output = conv.OutputShape;
        (long top, long bottom, long extraHeight) = TransposedPads(input[0], output[0], conv.KernelSize.Height, conv.Strides.Height, conv.DilationRate.Height);
        (long left, long right, long extraWidth) = TransposedPads(input[1], output[1], conv.KernelSize.Width, conv.Strides.Width, conv.DilationRate.Width);
        return AddConvolutionNode(graph, "ConvTranspose", conv.Name, x, conv.Kernel.ToArray(), k, conv.UseBias ? conv.Bias.ToArray() : null, conv.Activation,
            Ints("kernel_shape", k[0], k[1]), Ints("strides", conv.Strides.Height, conv.Strides.Width),
            Ints("dilations", conv.DilationRate.Height, conv.DilationRate.Width), Ints("pads", top, left, bottom, right),
            Ints("output_padding", extraHeight, extraWidth));
    }

    private static string AddConvolutionNode(GraphProto graph, string op, string name, string x, float[] kernel, IReadOnlyList<int> k, float[]? bias,
        Activation activation, params AttributeProto[] attributes)
    {
        float[] weight = new float[kernel.Length];
        int[] gather = ModelTensors.KerasToTorchKernelGather(k[0], k[1], k[2], k[3]);
        for (int i = 0; i < weight.Length; i++)
        {
            weight[i] = kernel[gather[i]];
        }
        graph.Initializer.Add(Constant(name + ".kernel", weight, k[3], k[2], k[0], k[1]));
        var inputs = new List<string> { x, name + ".kernel" };
        if (bias is not null)
        {
            graph.Initializer.Add(Constant(name + ".bias", bias, bias.Length));
            inputs.Add(name + ".bias");
        }
        string z = Node(graph, op, [.. inputs], name + ".z", attributes);
        return AddActivation(graph, activation, z, name);
    }

    /// <summary>
    /// ONNX's RNN, LSTM or GRU operator (one direction, zero initial state) on a [T, batch, F] tensor. W [1, G·units, F]
    /// and R [1, G·units, units] are the kernels transposed with the gate blocks in ONNX's order — LSTM i, o, f, c from
    /// Keras's i, f, c, o; GRU z, r, h as Keras; B [1, 2·G·units] the input bias then the recurrent one (zeros, except a
    /// reset-after GRU's second bias row, with linear_before_reset = 1). activations: the gates' σ then φ (LSTM: σ, φ, φ).
    /// The output is Y squeezed to [T, batch, units] (return_sequences) or Y_h squeezed to [batch, units].
    /// </summary>
    private static GraphValue AddRecurrent(GraphProto graph, RecurrentLayer layer, string x)
    {
        string name = layer.Name;
        int units = layer.Units, gates = layer.GateCount, width = gates * units, features = layer.Features;
        int[] order = layer is Lstm ? [0, 3, 1, 2] : [.. Enumerable.Range(0, gates)];
        float[] kernel = layer.Kernel.ToArray(), recurrentKernel = layer.RecurrentKernel.ToArray(), bias = layer.Bias.ToArray();
        float[] Transposed(float[] matrix, int inputs)
        {
            var result = new float[width * inputs];
            for (int b = 0; b < gates; b++)
            {
                for (int k = 0; k < units; k++)
                {
                    for (int f = 0; f < inputs; f++)
                    {
                        result[(b * units + k) * inputs + f] = matrix[f * width + order[b] * units + k];
                    }
                }
            }
            return result;
        }
        var biases = new float[2 * width];
        for (int b = 0; b < gates; b++)
        {
            for (int k = 0; k < units; k++)
            {
                biases[b * units + k] = bias[order[b] * units + k];
                if (bias.Length == 2 * width)
                {
                    biases[width + b * units + k] = bias[width + order[b] * units + k];
                }
            }
        }
        graph.Initializer.Add(Constant(name + ".W", Transposed(kernel, features), 1, width, features));
        graph.Initializer.Add(Constant(name + ".R", Transposed(recurrentKernel, units), 1, width, units));
        graph.Initializer.Add(Constant(name + ".B", biases, 1, 2 * width));
        string phi = RecurrentActivationName(layer.Activation, name);
        var attributes = new List<AttributeProto> { Int("hidden_size", units) };
        switch (layer)
        {
            case Lstm lstm:
                string sigma = RecurrentActivationName(lstm.RecurrentActivation, name);
                attributes.Add(Strings("activations", sigma, phi, phi));
                break;
            case Gru gru:
                attributes.Add(Strings("activations", RecurrentActivationName(gru.RecurrentActivation, name), phi));
                attributes.Add(Int("linear_before_reset", gru.ResetAfter ? 1 : 0));
                break;
            default:
                attributes.Add(Strings("activations", phi));
                break;
        }
        string op = layer switch { Lstm => "LSTM", Gru => "GRU", _ => "RNN" };
        var node = new NodeProto { OpType = op, Name = name + ".rnn" };
        node.Input.AddRange([x, name + ".W", name + ".R", name + ".B"]);
        node.Output.AddRange([name + ".sequence", name + ".last"]);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        if (layer.ReturnSequences)
        {
            graph.Initializer.Add(Int64Constant(name + ".direction_axis", 1));
            return new(Node(graph, "Squeeze", [name + ".sequence", name + ".direction_axis"], name + ".y"), TensorLayout.TimeMajor, []);
        }
        graph.Initializer.Add(Int64Constant(name + ".direction_axis", 0));
        return new(Node(graph, "Squeeze", [name + ".last", name + ".direction_axis"], name + ".y"), TensorLayout.Flat, []);
    }

    /// <summary>The ONNX name of a recurrent activation (the operators take Tanh, Relu and Sigmoid among others).</summary>
    private static string RecurrentActivationName(Activation activation, string layer) => activation switch
    {
        Tanh => "Tanh",
        Relu => "Relu",
        Sigmoid => "Sigmoid",
        _ => throw new NotSupportedException($"OnnxExport: recurrent layer '{layer}' uses activation '{activation.Name}'; its ONNX export supports tanh, relu and sigmoid."),
    };

    /// <summary>A convolution's padding before and after along one axis: the total its output needs beyond the input
    /// (none for "valid", whose trailing rows no window reaches are dropped), ⌊total/2⌋ before, the rest after.</summary>
    private static (long Before, long After) ConvolutionPads(int input, int output, int kernel, int stride, int dilation)
    {
        long total = Math.Max((output - 1L) * stride + (kernel - 1L) * dilation + 1 - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>A transposed convolution's pads (those of the forward convolution from its output back to its input)
    /// and the output_padding that makes ONNX's length Keras's.</summary>
    private static (long Before, long After, long Extra) TransposedPads(int input, int output, int kernel, int stride, int dilation)
    {
        long full = (input - 1L) * stride + (kernel - 1L) * dilation + 1; // ONNX's length without pads
        long total = full - output;
        return total >= 0 ? (total / 2, total - total / 2, 0) : (0, 0, -total);
    }

    /// <summary>The value as rows [batch, values] in Keras's (channels-last) order; <paramref name="before"/> names the
    /// nodes after the layer that needs it.</summary>
    private static GraphValue ToFlat(GraphProto graph, GraphValue x, string before)
    {
        if (x.Layout == TensorLayout.Flat)
        {
            return x;
        }
        if (x.Layout == TensorLayout.TimeMajor)
        {
            string batchMajor = Node(graph, "Transpose", [x.Name], before + ".batch_major", Ints("perm", 1, 0, 2));
            return new(Node(graph, "Flatten", [batchMajor], before + ".rows", Int("axis", 1)), TensorLayout.Flat, x.Shape);
        }
        // [N, C, d1, …, dk] → [N, d1, …, dk, C] → rows.
        long[] perm = [0, .. Enumerable.Range(2, x.Shape.Length - 1).Select(i => (long)i), 1];
        string channelsLast = Node(graph, "Transpose", [x.Name], before + ".nhwc", Ints("perm", perm));
        return new(Node(graph, "Flatten", [channelsLast], before + ".rows", Int("axis", 1)), TensorLayout.Flat, x.Shape);
    }

    /// <summary>The value time-major, [T, batch, F] (its rows must have the shape [T, F]).</summary>
    private static GraphValue ToTimeMajor(GraphProto graph, GraphValue x, string before)
    {
        if (x.Layout == TensorLayout.TimeMajor)
        {
            return x;
        }
        x = ToFlat(graph, x, before);
        if (x.Shape.Length != 2)
        {
            throw new NotSupportedException($"OnnxExport: layer '{before}' needs sequences [timesteps, features], but its input rows have shape [{string.Join(", ", x.Shape)}].");
        }
        graph.Initializer.Add(Int64Constant(before + ".sequence_shape", 0, x.Shape[0], x.Shape[1]));
        string sequences = Node(graph, "Reshape", [x.Name, before + ".sequence_shape"], before + ".batch_major");
        return new(Node(graph, "Transpose", [sequences], before + ".time_major", Ints("perm", 1, 0, 2)), TensorLayout.TimeMajor, x.Shape);
    }

    /// <summary>The value channels-first: NCHW for images [height, width, channels], [N, F, T] for sequences [T, F]
    /// (rows must have a shape of rank ≥ 2).</summary>
    private static GraphValue ToChannelsFirst(GraphProto graph, GraphValue x, string before)
    {
        if (x.Layout == TensorLayout.ChannelsFirst)
        {
            return x;
        }
        x = ToFlat(graph, x, before);
        if (x.Shape.Length < 2)
        {
            throw new NotSupportedException($"OnnxExport: layer '{before}' needs shaped rows (images [height, width, channels]), but its input rows have shape [{string.Join(", ", x.Shape)}].");
        }
        int rank = x.Shape.Length;
        graph.Initializer.Add(Int64Constant(before + ".nhwc_shape", [0, .. x.Shape.Select(d => (long)d)]));
        string images = Node(graph, "Reshape", [x.Name, before + ".nhwc_shape"], before + ".nhwc");
        long[] perm = [0, rank, .. Enumerable.Range(1, rank - 1).Select(i => (long)i)];
        return new(Node(graph, "Transpose", [images], before + ".nchw", Ints("perm", perm)), TensorLayout.ChannelsFirst, x.Shape);
    }

    private static string AddActivation(GraphProto graph, Activation activation, string x, string layer)
    {
        string a = layer + ".a";
        switch (activation)
        {
            case Linear:
                return x;
            case Relu:
                return Node(graph, "Relu", [x], a);
            case Sigmoid:
                return Node(graph, "Sigmoid", [x], a);
            case Tanh:
                return Node(graph, "Tanh", [x], a);
            case Softmax:
                return Node(graph, "Softmax", [x], a, Int("axis", -1));
            case LeakyRelu leaky:
                return Node(graph, "LeakyRelu", [x], a, Float("alpha", leaky.Alpha));
            case ElementwiseActivation<EluFormula> elu:
                return Node(graph, "Elu", [x], a, Float("alpha", elu.Alpha));
            case ElementwiseActivation<SeluFormula>:
                return Node(graph, "Selu", [x], a, Float("alpha", SeluFormula.Alpha), Float("gamma", SeluFormula.Scale));
            case ElementwiseActivation<SoftplusFormula>:
                return Node(graph, "Softplus", [x], a);
            case ElementwiseActivation<GeluFormula>:
                // Exact GELU, x·Φ(x) = x·½(1 + erf(x/√2)), from opset-17 operators.
                graph.Initializer.Add(Constant(layer + ".gelu.sqrt2", [(float)Math.Sqrt(2)]));
                graph.Initializer.Add(Constant(layer + ".gelu.one", [1f]));
                graph.Initializer.Add(Constant(layer + ".gelu.half", [0.5f]));
                string scaled = Node(graph, "Div", [x, layer + ".gelu.sqrt2"], layer + ".gelu.scaled");
                string erf = Node(graph, "Erf", [scaled], layer + ".gelu.erf");
                string plusOne = Node(graph, "Add", [erf, layer + ".gelu.one"], layer + ".gelu.plus_one");
                string times = Node(graph, "Mul", [x, plusOne], layer + ".gelu.times");
                return Node(graph, "Mul", [times, layer + ".gelu.half"], a);
            default:
                throw new NotSupportedException($"OnnxExport: layer '{layer}' has activation '{activation.Name}', which has no ONNX mapping yet.");
        }
    }

    private static string Node(GraphProto graph, string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    private static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A one-dimensional int64 constant (a Reshape's target shape; 0 keeps that input dimension).</summary>
    private static TensorProto Int64Constant(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.AddRange(values);
        tensor.Dims.Add(values.Length);
        return tensor;
    }

    private static TensorProto Constant(string name, float[] values, params long[] dims)
    {
        var bytes = new byte[checked(values.Length * sizeof(float))];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

}
