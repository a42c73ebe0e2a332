namespace InitLab.Models;

/// <summary>
/// What a trained model scores on a set of rows — the numbers <c>initlab train</c> reports and <c>initlab evaluate</c>
/// reproduces. Metrics that do not apply to the task are NaN.
/// </summary>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Loss">Mean loss as trained (for regression: on the standardised targets, the scale training saw).</param>
/// <param name="Accuracy">Fraction of rows whose predicted class is the label (classification; NaN for regression).</param>
/// <param name="Rmse">Root mean squared error in the targets' units, √(mean (ŷ − y)²) over all rows and outputs (regression).</param>
/// <param name="Mae">Mean absolute error in the targets' units, mean |ŷ − y| (regression).</param>
/// <param name="R2">Coefficient of determination 1 − Σ(ŷ − y)²/Σ(y − ȳ)², ȳ the mean of these rows' targets, averaged over
/// outputs as scikit-learn's r2_score does (regression; NaN when the targets are constant).</param>
public sealed record ModelEvaluation(int Rows, double Loss, double Accuracy, double Rmse, double Mae, double R2)
{
    /// <summary>Whether the regression metrics are filled in.</summary>
    public bool IsRegression => !double.IsNaN(Rmse);
}
