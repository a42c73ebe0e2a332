using InitLab.Losses;

namespace InitLab.Training;

/// <summary>Classification accuracy as Keras reports it: with binary cross-entropy every output is thresholded (0.5, or 0
/// on logits) and a row scores the fraction of its outputs that match (Keras's binary_accuracy, the mean over the last
/// axis); with categorical cross-entropy the argmax must match.</summary>
internal static class Metrics
{
    public static bool HasAccuracy(Loss loss, int outputs) =>
        loss is BinaryCrossEntropy || (loss is CategoricalCrossEntropy && outputs > 1);

    /// <summary>Correct predictions in a batch, in rows: the sum over rows of each row's accuracy (a whole number except
    /// for binary accuracy with several outputs, where a row with 5 of 6 outputs right counts 5/6). Dividing the sum over
    /// all batches by the total row count gives the accuracy whatever the batch sizes. <paramref name="output"/> is after
    /// the last activation.</summary>
    public static double CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int rows, int cols, Loss loss)
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
            // Integer division here once turned 5 right of 6 into 0 rows; the sum of row fractions is correct / cols.
            return (double)correct / cols;
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
