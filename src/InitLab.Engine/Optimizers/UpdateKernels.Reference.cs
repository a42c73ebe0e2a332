namespace InitLab.Optimizers;

// The scalar references: the Keras formulas one element at a time, as plain as possible. Not used in training; the
// kernel tests demand that the vector paths give the same bits on every length and instruction-set level.
internal static partial class UpdateKernels
{
    public static void SgdReference(Span<float> value, ReadOnlySpan<float> gradient, float learningRate)
    {
        for (int i = 0; i < value.Length; i++)
        {
            value[i] = gradient[i] * -learningRate + value[i];
        }
    }

    public static void MomentumReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum)
    {
        for (int i = 0; i < value.Length; i++)
        {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
            value[i] = value[i] + velocity[i];
        }
    }

    public static void NesterovReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum)
    {
        for (int i = 0; i < value.Length; i++)
        {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
            value[i] = value[i] + (momentum * velocity[i] - learningRate * gradient[i]);
        }
    }

    public static void AdagradReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> accumulator, float learningRate, float epsilon)
    {
        for (int i = 0; i < value.Length; i++)
        {
            accumulator[i] = accumulator[i] + gradient[i] * gradient[i];
            value[i] = value[i] - learningRate * gradient[i] / MathF.Sqrt(accumulator[i] + epsilon);
        }
    }

    public static void RmsPropReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, float learningRate, float rho,
        float oneMinusRho, float epsilon)
    {
        for (int i = 0; i < value.Length; i++)
        {
            meanSquare[i] = rho * meanSquare[i] + oneMinusRho * gradient[i] * gradient[i];
            value[i] = value[i] - learningRate * gradient[i] / MathF.Sqrt(meanSquare[i] + epsilon);
        }
    }

    public static void RmsPropMomentumReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare, Span<float> velocity,
        float learningRate, float rho, float oneMinusRho, float epsilon, float momentum)
    {
        for (int i = 0; i < value.Length; i++)
        {
            meanSquare[i] = rho * meanSquare[i] + oneMinusRho * gradient[i] * gradient[i];
            velocity[i] = momentum * velocity[i] + learningRate * gradient[i] / MathF.Sqrt(meanSquare[i] + epsilon);
            value[i] = value[i] - velocity[i];
        }
    }

    public static void AdamReference(Span<float> value, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float alpha, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsilon)
    {
        for (int i = 0; i < value.Length; i++)
        {
            m[i] = beta1 * m[i] + oneMinusBeta1 * gradient[i];
            v[i] = beta2 * v[i] + oneMinusBeta2 * gradient[i] * gradient[i];
            value[i] = value[i] - alpha * m[i] / (MathF.Sqrt(v[i]) + epsilon);
        }
    }
}
