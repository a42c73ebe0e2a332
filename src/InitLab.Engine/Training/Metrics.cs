using InitLab.Losses;

namespace InitLab.Training;

/// <summary>Classification accuracy as Keras reports it: with binary cross-entropy every output is thresholded (0.5, or 0
/// on logits) and a row scores the fraction of its outputs that match (Keras's binary_accuracy, the mean over the last
/// axis); with categorical cross-entropy the argmax must match.</summary>
public static class Metrics
{
    /// <summary>True when the loss has an accuracy: binary cross-entropy, or categorical cross-entropy over two or more
    /// outputs.</summary>
    /// <param name="loss">The model's loss.</param>
    /// <param name="outputs">Outputs per row.</param>
    /// <returns>Whether <see cref="CountCorrect"/> counts anything for this loss.</returns>
    public static bool HasAccuracy(Loss loss, int outputs) =>
        loss is BinaryCrossEntropy || (loss is CategoricalCrossEntropy && outputs > 1);

    /// <summary>Correct predictions in a batch, in rows: the sum over rows of each row's accuracy (a whole number except
    /// for binary accuracy with several outputs, where a row with 5 of 6 outputs right counts 5/6). Dividing the sum over
    /// all batches by the total row count gives the accuracy whatever the batch sizes. <paramref name="output"/> is after
    /// the last activation.</summary>
    /// <param name="output">The model's outputs, rows × cols, row-major.</param>
    /// <param name="target">The targets: one class index per row (sparse) or rows × cols values.</param>
    /// <param name="rows">Rows in the batch.</param>
    /// <param name="cols">Outputs per row.</param>
    /// <param name="loss">The loss, which decides the rule (threshold or argmax, logits or probabilities).</param>
    /// <returns>The number of correct rows (fractional for binary accuracy over several outputs).</returns>
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

    /// <summary>The index of the largest value, the first one on a tie; NaN is never chosen over a number before it.</summary>
    /// <param name="values">The values, at least one.</param>
    /// <returns>The index of the largest value.</returns>
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
