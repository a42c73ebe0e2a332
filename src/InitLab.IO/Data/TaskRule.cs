using System.Globalization;

namespace InitLab.Data;

/// <summary>
/// Decides from a label column's text whether it names classes or real-valued targets, and says why in one line.
/// Text, or at most <see cref="MaxWholeNumberClasses"/> distinct whole numbers, are classes; whole numbers with more
/// distinct values (prices, counts, years) and any number with a fractional part are regression targets.
/// </summary>
public static class TaskRule
{
    /// <summary>The most distinct whole-number labels still read as classes. 20 covers every classification set a
    /// learner meets here (digits: 10, iris: 3, MNIST: 10) while a price or count column has hundreds.</summary>
    public const int MaxWholeNumberClasses = 20;

    /// <summary>Chooses the task for a label column.</summary>
    /// <param name="labels">The label cells, trimmed, one per row.</param>
    /// <param name="column">The label column's name (for the explanation).</param>
    /// <returns>The task and a one-line reason, e.g. "label 'price': 400 distinct whole numbers → regression".</returns>
    public static (ModelTask Task, string Reason) Choose(IReadOnlyList<string> labels, string column)
    {
        ArgumentNullException.ThrowIfNull(labels);
        bool allNumbers = true, allWhole = true;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in labels)
        {
            distinct.Add(text);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                allNumbers = false;
            }
            else if (value != Math.Floor(value))
            {
                allWhole = false;
            }
        }
        int count = distinct.Count;
        if (!allNumbers)
        {
            return (ModelTask.Classification, string.Create(CultureInfo.InvariantCulture, $"label {Excerpt.Quote(column)}: text, {count} distinct values → classification"));
        }
        if (!allWhole)
        {
            return (ModelTask.Regression, string.Create(CultureInfo.InvariantCulture, $"label {Excerpt.Quote(column)}: numbers with fractional parts → regression"));
        }
        return count <= MaxWholeNumberClasses
            ? (ModelTask.Classification, string.Create(CultureInfo.InvariantCulture, $"label {Excerpt.Quote(column)}: {count} distinct whole numbers (at most {MaxWholeNumberClasses}) → classification"))
            : (ModelTask.Regression, string.Create(CultureInfo.InvariantCulture, $"label {Excerpt.Quote(column)}: {count} distinct whole numbers (more than {MaxWholeNumberClasses}) → regression"));
    }
}
