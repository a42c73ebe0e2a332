using InitLab.Losses;

namespace InitLab.Training;

/// <summary>Classification accuracy as Keras reports it: threshold 0.5 for one output (binary), argmax otherwise.</summary>
internal static class Metrics
{
    public static bool HasAccuracy(Loss loss, int outputs) =>
        loss is BinaryCrossEntropy || (loss is CategoricalCrossEntropy && outputs > 1);

    /// <summary>Correct predictions in a batch; <paramref name="output"/> is after the last activation.</summary>
    public static long CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int rows, int cols, Loss loss)
    {
        if (!HasAccuracy(loss, cols))
        {
            return 0;
        }
        long correct = 0;
        if (loss is BinaryCrossEntropy)
        {
            // Logits threshold at 0, probabilities at 0.5.
            float threshold = loss.FromLogits ? 0f : 0.5f;
            for (int i = 0; i < rows * cols; i++)
            {
                if ((output[i] > threshold) == (target[i] > 0.5f))
                {
                    correct++;
                }
            }
            return cols == 1 ? correct : correct / cols;
        }
        bool sparse = loss.TargetKind == TargetKind.ClassIndex;
        for (int r = 0; r < rows; r++)
        {
            int predicted = ArgMax(output.Slice(r * cols, cols));
            int actual = sparse ? (int)target[r] : ArgMax(target.Slice(r * cols, cols));
            if (predicted == actual)
            {
                correct++;
            }
        }
        return correct;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
