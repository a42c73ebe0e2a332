using System.Globalization;

namespace InitLab.Data;

/// <summary>
/// Second thoughts on a label column that the automatic rule (<see cref="TaskRule"/>) read as text classes. Two shapes
/// are almost never classes: nearly one distinct value per row (an ID, or numbers written with thousands separators
/// such as "1,234,567", which are text to an invariant-culture parser), and a column of numbers with a single stray
/// text cell ("cat" among 0/1), which would silently add a class. Both are refused with what to do; Keras would fail on
/// both too (its targets must be numeric). An explicit task (classification) skips this check.
/// </summary>
internal static class ClassLabelCheck
{
    /// <summary>Throws when the labels do not look like classes.</summary>
    /// <param name="labels">The trimmed label cells, one per row.</param>
    /// <param name="lines">The file line of each row (for the message).</param>
    /// <param name="file">The file name.</param>
    /// <param name="column">The label column.</param>
    public static void Check(IReadOnlyList<string> labels, IReadOnlyList<long> lines, string file, string column)
    {
        int rows = labels.Count;
        var nonNumbers = new List<int>();
        for (int i = 0; i < rows; i++)
        {
            if (!double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                nonNumbers.Add(i);
            }
        }
        if (nonNumbers.Count == 1 && rows >= 10)
        {
            int r = nonNumbers[0];
            throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: row {r + 1} (line {lines[r]}), label {Excerpt.Quote(column)}: {Excerpt.Quote(labels[r])} is the only label that is not a number (the other {rows - 1} are numbers); fix that cell, or set the task to classification to keep it as a class of its own."))
            {
                ParamName = "task",
            };
        }
        int distinct = labels.Distinct(StringComparer.Ordinal).Count();
        int limit = Math.Max(TaskRule.MaxWholeNumberClasses, rows / 2);
        if (distinct <= limit)
        {
            return;
        }
        string example = Excerpt.Quote(labels.First(l => nonNumbers.Count == 0 || !double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
        int separated = labels.Count(l => l.Contains(',', StringComparison.Ordinal)
            && double.TryParse(l, NumberStyles.Number, CultureInfo.InvariantCulture, out _));
        // Separators: the task is what is wrong (the numbers are fine as a regression target); an ID: the column is.
        bool thousands = separated * 2 > rows;
        string looks = thousands
            ? $"numbers written with thousands separators (e.g. {example}), not classes; remove the separators and set the task to regression, or choose another label column"
            : $"an ID or free text (e.g. {example}), not classes; choose another label column (or set the task to classification if these really are classes)";
        throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
            $"{file}: the label column {Excerpt.Quote(column)} has {distinct} distinct values in {rows} rows (classes need at most {limit} here): it looks like {looks}."))
        {
            ParamName = thousands ? "task" : "labelColumn",
        };
    }
}
