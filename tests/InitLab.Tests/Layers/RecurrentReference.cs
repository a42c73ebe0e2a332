using InitLab.Activations;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// SimpleRNN, LSTM and GRU written out again in double, one sequence and one step at a time, from Keras's cell
/// equations (keras/src/layers/rnn/*.py): batch-major, the textbook loops, no GEMM and nothing shared with the engine's
/// time-major implementation except the float weights it reads (or values substituted for one parameter). tanh and
/// sigmoid are Math.Tanh and 1/(1 + e^−z); other activations come from the library's scalar formula.
/// </summary>
internal static class RecurrentReference
{
    /// <summary>The model's output for <paramref name="x"/>, recurrent layers from this file, the others from
    /// <see cref="LayerReference"/>.</summary>
    public static double[] Forward(Sequential model, double[] x, int rows, float[]? replaced = null, double[]? values = null)
    {
        double[] current = x;
        int width = model.InputDim;
        foreach (Layer layer in model.Layers)
        {
            current = layer is RecurrentLayer recurrent
                ? Forward(recurrent, current, rows, replaced, values)
                : LayerReference.Forward(layer, current, rows, width, PassMode.Probe, replaced, values);
            width = layer.OutputDim;
        }
        return current;
    }

    public static double[] Forward(RecurrentLayer layer, double[] x, int rows, float[]? replaced, double[]? values)
    {
        double[] Read(int index)
        {
            float[] array = layer.OwnParameters[index].Value;
            return ReferenceEquals(array, replaced) ? values! : [.. array.Select(v => (double)v)];
        }
        double[] w = Read(0), u = Read(1), bias = Read(2);
        int steps = layer.Timesteps, features = layer.Features, units = layer.Units, gates = layer.GateCount * units;
        var output = new double[rows * layer.OutputDim];
        for (int n = 0; n < rows; n++)
        {
            var h = new double[units];
            var c = new double[units];
            for (int t = 0; t < steps; t++)
            {
                double[] xt = x.AsSpan((n * steps + t) * features, features).ToArray();
                // x_t·W and h_{t−1}·U, all G·units columns.
                var xw = new double[gates];
                var hu = new double[gates];
                for (int j = 0; j < gates; j++)
                {
                    for (int f = 0; f < features; f++)
                    {
                        xw[j] += xt[f] * w[f * gates + j];
                    }
                    for (int k = 0; k < units; k++)
                    {
                        hu[j] += h[k] * u[k * gates + j];
                    }
                }
                h = layer switch
                {
                    SimpleRnn rnn => SimpleRnnStep(rnn, xw, hu, bias),
                    Lstm lstm => LstmStep(lstm, xw, hu, bias, c),
                    Gru { ResetAfter: true } gru => GruResetAfterStep(gru, xw, hu, bias, h),
                    Gru gru => GruResetBeforeStep(gru, xw, hu, bias, h, u),
                    _ => throw new NotSupportedException(layer.KindName),
                };
                if (layer.ReturnSequences)
                {
                    h.CopyTo(output, (n * steps + t) * units);
                }
            }
            if (!layer.ReturnSequences)
            {
                h.CopyTo(output, n * units);
            }
        }
        return output;
    }

    /// <summary>h = φ(x·W + h·U + b).</summary>
    private static double[] SimpleRnnStep(SimpleRnn layer, double[] xw, double[] hu, double[] bias) =>
        [.. xw.Select((v, j) => Apply(layer.Activation, v + hu[j] + bias[j]))];

    /// <summary>z = x·W + h·U + b = [i | f | c | o]; c ← σ(f)·c + σ(i)·φ(c̃); h = σ(o)·φ(c). Updates <paramref name="cell"/>.</summary>
    private static double[] LstmStep(Lstm layer, double[] xw, double[] hu, double[] bias, double[] cell)
    {
        int units = layer.Units;
        var h = new double[units];
        for (int j = 0; j < units; j++)
        {
            double Z(int gate) => xw[gate * units + j] + hu[gate * units + j] + bias[gate * units + j];
            double i = Apply(layer.RecurrentActivation, Z(0));
            double f = Apply(layer.RecurrentActivation, Z(1));
            double g = Apply(layer.Activation, Z(2));
            double o = Apply(layer.RecurrentActivation, Z(3));
            cell[j] = f * cell[j] + i * g;
            h[j] = o * Apply(layer.Activation, cell[j]);
        }
        return h;
    }

    /// <summary>Keras 3 GRUCell with reset_after: bias rows (input, recurrent); z, r = σ(x·W + b + h·U + b′);
    /// ĥ = φ(x·W_h + b_h + r·(h·U_h + b′_h)); h ← z·h + (1 − z)·ĥ.</summary>
    private static double[] GruResetAfterStep(Gru layer, double[] xw, double[] hu, double[] bias, double[] previous)
    {
        int units = layer.Units, gates = 3 * units;
        var h = new double[units];
        for (int j = 0; j < units; j++)
        {
            double z = Apply(layer.RecurrentActivation, xw[j] + bias[j] + hu[j] + bias[gates + j]);
            double r = Apply(layer.RecurrentActivation, xw[units + j] + bias[units + j] + hu[units + j] + bias[gates + units + j]);
            double candidate = Apply(layer.Activation, xw[2 * units + j] + bias[2 * units + j] + r * (hu[2 * units + j] + bias[gates + 2 * units + j]));
            h[j] = z * previous[j] + (1 - z) * candidate;
        }
        return h;
    }

    /// <summary>Keras GRUCell without reset_after: one bias; z, r = σ(x·W + b + h·U); ĥ = φ(x·W_h + b_h + (r·h)·U_h).</summary>
    private static double[] GruResetBeforeStep(Gru layer, double[] xw, double[] hu, double[] bias, double[] previous, double[] u)
    {
        int units = layer.Units, gates = 3 * units;
        var z = new double[units];
        var resetState = new double[units];
        for (int j = 0; j < units; j++)
        {
            z[j] = Apply(layer.RecurrentActivation, xw[j] + bias[j] + hu[j]);
            double r = Apply(layer.RecurrentActivation, xw[units + j] + bias[units + j] + hu[units + j]);
            resetState[j] = r * previous[j];
        }
        var h = new double[units];
        for (int j = 0; j < units; j++)
        {
            double product = 0;
            for (int k = 0; k < units; k++)
            {
                product += resetState[k] * u[k * gates + 2 * units + j];
            }
            double candidate = Apply(layer.Activation, xw[2 * units + j] + bias[2 * units + j] + product);
            h[j] = z[j] * previous[j] + (1 - z[j]) * candidate;
        }
        return h;
    }

    private static double Apply(Activation activation, double z) => activation.Name switch
    {
        "tanh" => Math.Tanh(z),
        "sigmoid" => 1 / (1 + Math.Exp(-z)),
        _ => activation.Apply(z),
    };
}
