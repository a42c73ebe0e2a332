namespace InitLab.Data;

/// <summary>What a model predicts: a class out of a fixed set, or a real number.</summary>
public enum ModelTask
{
    /// <summary>One class label per row (softmax or sigmoid output, cross-entropy loss, accuracy).</summary>
    Classification,

    /// <summary>One or more real values per row (linear output, MSE or MAE, RMSE/MAE/R²).</summary>
    Regression,
}
