using InitLab.Layers;
using InitLab.Random;

namespace InitLab.Tests.Layers;

/// <summary>
/// The fused bias + ReLU of Dense on each vector path (AVX-512, AVX2, each capped by what the machine runs) against the
/// scalar path (width 0) as the reference. Every path does one float addition and one max per element, so the bits
/// must be identical — no tolerance. Rows of every width 0..3·16+1, NaN canaries around both buffers, NaN inputs.
/// </summary>
public class BiasReluTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void VectorPath_MatchesScalarReference_BitForBit(int widthBits)
    {
        var rng = new Rng(21);
        foreach (int rows in new[] { 1, 3 })
        {
            for (int cols = 1; cols <= 3 * 16 + 1; cols++)
            {
                float[] bias = [.. Enumerable.Range(0, cols).Select(_ => (float)rng.Uniform(-1, 1))];
                float[] input = [.. Enumerable.Range(0, rows * cols).Select(i => i % 11 == 5 ? float.NaN : i % 13 == 7 ? -0f : (float)rng.Uniform(-2, 2))];
                (float[] zRef, float[] aRef) = Run(input, bias, rows, cols, 0);
                (float[] z, float[] a) = Run(input, bias, rows, cols, widthBits);
                Assert.Equal(zRef, z);
                Assert.Equal(aRef, a);
            }
        }
    }

    [Fact]
    public void ScalarReference_AddsBiasAndClampsAtZero_KeepingNaN()
    {
        float[] bias = [0.5f, -1f, 2f];
        float[] input = [1f, 0.5f, float.NaN, -3f, 2f, -2f];
        (float[] z, float[] a) = Run(input, bias, 2, 3, 0);
        Assert.Equal([1.5f, -0.5f, float.NaN, -2.5f, 1f, 0f], z);
        Assert.Equal([1.5f, 0f, float.NaN, 0f, 1f, 0f], a);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void InPlace_EqualsOutOfPlace(int widthBits)
    {
        var rng = new Rng(4);
        const int rows = 3, cols = 37;
        float[] bias = [.. Enumerable.Range(0, cols).Select(_ => (float)rng.Uniform(-1, 1))];
        float[] input = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)rng.Uniform(-2, 2))];
        (_, float[] a) = Run(input, bias, rows, cols, widthBits);
        float[] buffer = (float[])input.Clone();
        Dense.BiasRelu(buffer, bias, buffer, cols, widthBits);
        Assert.Equal(a, buffer);
    }

    /// <summary>Runs the kernel on copies framed by NaN canaries and checks the canaries survived.</summary>
    private static (float[] Z, float[] A) Run(float[] input, float[] bias, int rows, int cols, int widthBits)
    {
        int n = rows * cols;
        var z = new float[n + 2];
        var a = new float[n + 2];
        Array.Fill(a, float.NaN);
        z[0] = z[^1] = float.NaN;
        input.CopyTo(z, 1);
        Dense.BiasRelu(z.AsSpan(1, n), bias, a.AsSpan(1, n), cols, widthBits);
        Assert.True(float.IsNaN(z[0]) && float.IsNaN(z[^1]) && float.IsNaN(a[0]) && float.IsNaN(a[^1]), "wrote outside the rows");
        return (z[1..^1], a[1..^1]);
    }
}
