using System.Globalization;
using InitLab.Models;

namespace InitLab.Cli.Rendering;

/// <summary>The scores table and JSON fields shared by <c>train</c> and <c>evaluate</c>, so both print the same numbers
/// the same way: loss and accuracy for classification; loss (standardised scale), RMSE, MAE and R² for regression.</summary>
internal static class ScoreTable
{
    public static FittedTable Build(IReadOnlyList<(string Split, ModelEvaluation Scores)> rows)
    {
        bool regression = rows.Any(r => r.Scores.IsRegression);
        var table = new FittedTable().Text("split");
        if (regression)
        {
            table.Numbers("loss", "RMSE", "MAE", "R²");
            foreach (var (split, s) in rows)
            {
                table.AddRow(split, Format(s.Loss), Units(s.Rmse), Units(s.Mae), Format(s.R2));
            }
        }
        else
        {
            table.Numbers("loss", "accuracy");
            foreach (var (split, s) in rows)
            {
                table.AddRow(split, Format(s.Loss), Percent(s.Accuracy));
            }
        }
        return table;
    }

    /// <summary>Adds loss/accuracy (and rmse/mae/r2 for regression) under <paramref name="prefix"/> ("" or "test_").</summary>
    public static void AddJson(IDictionary<string, object?> target, string prefix, ModelEvaluation scores)
    {
        target[prefix + "loss"] = scores.Loss;
        target[prefix + "accuracy"] = scores.Accuracy;
        if (scores.IsRegression)
        {
            target[prefix + "rmse"] = scores.Rmse;
            target[prefix + "mae"] = scores.Mae;
            target[prefix + "r2"] = scores.R2;
        }
    }

    public static string Format(double value) => double.IsNaN(value) ? "—" : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>An error in the targets' units: six significant digits, so 18938.29 reads 18938.3, not 1.894E+04.</summary>
    public static string Units(double value) => double.IsNaN(value) ? "—" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Percent(double value) => double.IsNaN(value) ? "—" : value.ToString("P2", CultureInfo.InvariantCulture);
}
