using InitLab.Onnx;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = InitLab.Tensors.Tensor;

namespace InitLab.Tests.TestUtilities;

/// <summary>Runs an exported model in ONNX Runtime (an independent implementation) and compares its output with ours,
/// for the ONNX export tests.</summary>
internal static class OnnxRuntimeRun
{
    /// <summary>The output ONNX Runtime computes for the rows of <paramref name="x"/> with the model <paramref name="onnx"/>.</summary>
    public static float[] Run(byte[] onnx, Tensor x)
    {
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor(x.Data, [x.Shape[0], x.Shape[1]]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, input)]);
        return [.. results.Single(r => r.Name == OnnxExport.OutputName).AsEnumerable<float>()];
    }

    /// <summary>Every element within 1e-5 × max(|ours|, 1): two float32 implementations summing in different orders.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = 1e-5 * Math.Max(Math.Abs(expected[i]), 1);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"element {i}: initlab {expected[i]:R}, onnx runtime {actual[i]:R} (bound {bound:G3})");
        }
    }
}
