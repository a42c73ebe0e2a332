using InitLab.Tensors;

namespace InitLab.Models;

/// <summary>A trained model's answers for raw rows: class labels (and probabilities) or values in the targets' units.</summary>
/// <param name="Labels">Classification: the predicted class label (its original text) per row; null for regression.</param>
/// <param name="Probabilities">Classification: rows×classes probabilities in <see cref="TrainedModel.ClassLabels"/> order; null for regression.</param>
/// <param name="Values">Regression: row-major rows×outputs predictions in the targets' units; null for classification.</param>
public sealed record ModelPredictions(IReadOnlyList<string>? Labels, Tensor? Probabilities, IReadOnlyList<double>? Values);
