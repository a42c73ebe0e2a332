using InitLab.Initializers;
using InitLab.Random;

namespace InitLab.Tests.Initializers;

public class HouseholderQrTests
{
    [Theory]
    [InlineData(50, 50, 1e-10)]
    [InlineData(80, 30, 1e-10)]
    [InlineData(30, 80, 1e-10)]
    [InlineData(400, 160, 1e-5)]
    [InlineData(150, 300, 1e-5)]
    public void Draw_SameGenerator_IsTheGramSchmidtMatrix(int rows, int cols, double tolerance)
    {
        // Q with a positive-diagonal R is unique: Householder (double below 128 columns, float GEMM from 128) and
        // Gram–Schmidt must agree to their precision. Tall Gaussian matrices are well conditioned (κ ≈ (√m + √n)/(√m − √n) ≈ 4.5
        // for 400×160), so float rounding (~6e-8) moves Q by ~1e-6.
        double[] householder = OrthogonalMatrix.Draw(rows, cols, new Rng(7));
        double[] gramSchmidt = OrthogonalMatrix.DrawGramSchmidt(rows, cols, new Rng(7));
        double worst = householder.Zip(gramSchmidt, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < tolerance, $"max difference {worst:E2}");
    }

    [Theory]
    [InlineData(100, 100, 1e-13)]
    [InlineData(512, 512, 2e-5)]
    [InlineData(700, 130, 2e-5)]
    public void Draw_IsOrthonormal(int rows, int cols, double tolerance)
    {
        // 512 columns: 8 blocks; each float reflector application adds ~6e-8, so ~√n·6e-8·small constant.
        double[] q = OrthogonalMatrix.Draw(rows, cols, new Rng(3));
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        double worst = 0;
        for (int a = 0; a < narrow; a++)
        {
            for (int b = a; b < narrow; b++)
            {
                double dot = 0;
                for (int k = 0; k < tall; k++)
                {
                    dot += rows >= cols ? q[k * cols + a] * q[k * cols + b] : q[a * cols + k] * q[b * cols + k];
                }
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }
        Assert.True(worst < tolerance, $"max |QᵀQ − I| = {worst:E2}");
    }

    [Theory]
    [InlineData(60, 40)]
    [InlineData(300, 200)]
    public void Draw_RIsUpperTriangularWithPositiveDiagonal_TheHaarSignFix(int rows, int cols)
    {
        // Re-draw the same Gaussian A (row-major draw order) and form R = QᵀA: upper triangular, diagonal > 0. Without
        // the sign fix about half of the diagonal would be negative.
        double[] q = OrthogonalMatrix.Draw(rows, cols, new Rng(11));
        var rng = new Rng(11);
        var a = new double[rows * cols];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.NextNormal();
        }
        for (int i = 0; i < cols; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double r = 0;
                for (int k = 0; k < rows; k++)
                {
                    r += q[k * cols + i] * a[k * cols + j];
                }
                if (i == j)
                {
                    Assert.True(r > 0, $"R[{i},{i}] = {r}");
                }
                else if (i > j)
                {
                    Assert.True(Math.Abs(r) < 1e-4, $"R[{i},{j}] = {r}");
                }
            }
        }
    }

    [Fact]
    public void Draw_SameSeed_SameBits_AndOneVersusManyThreadsAgree()
    {
        Assert.Equal(OrthogonalMatrix.Draw(256, 200, new Rng(5)), OrthogonalMatrix.Draw(256, 200, new Rng(5)));
        var source = new double[200 * 256];
        var rng = new Rng(5);
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = rng.NextNormal();
        }
        Assert.Equal(HouseholderQr.OrthonormalRows((double[])source.Clone(), 200, 256, 1), HouseholderQr.OrthonormalRows((double[])source.Clone(), 200, 256, 4));
    }

    [Fact]
    public void OrthonormalRows_1024Square_OrthonormalAndSameBitsOnOneAndTwoThreads()
    {
        // The size: 16 blocks of 64 reflectors. Rows of Qᵀ orthonormal (QᵀQ = I ⇔ QQᵀ = I for a square Q) to
        // the float precision the GEMM keeps: a float dot of length n errs by ≲ √n·6e-8 ≈ 1.9e-6 (measured 2.4e-7);
        // and the thread count changes no bit.
        const int n = 1024;
        var source = new double[n * n];
        var rng = new Rng(21);
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = rng.NextNormal();
        }
        double[] one = HouseholderQr.OrthonormalRows((double[])source.Clone(), n, n, 1);
        double[] two = HouseholderQr.OrthonormalRows((double[])source.Clone(), n, n, 2);
        Assert.Equal(one, two);
        double worst = 0;
        for (int a = 0; a < n; a++)
        {
            ReadOnlySpan<double> rowA = one.AsSpan(a * n, n);
            for (int b = a; b < n; b++)
            {
                double dot = System.Numerics.Tensors.TensorPrimitives.Dot(rowA, one.AsSpan(b * n, n));
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }
        Assert.True(worst < 1.9e-6, $"max |QQᵀ − I| = {worst:E2}");
    }
}
