using System.Globalization;
using InitLab.Data;
using InitLab.Losses;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Models;

/// <summary>
/// A trained network together with every transform between a raw row and its prediction: the feature names and order,
/// the fitted feature scaler, the class labels in index order (classification) or the target scaler (regression), the
/// loss it was trained with, and how it was made. <see cref="Predict(Tensor)"/> and <see cref="Evaluate(Dataset)"/> take
/// rows in the file's units, so a saved and reloaded model gives what <c>initlab train</c> reported.
/// </summary>
public sealed class TrainedModel
{
    /// <summary>Bundles a compiled network with its preprocessing.</summary>
    /// <param name="network">The trained network; must be compiled (its loss defines the reported loss).</param>
    /// <param name="task">Classification or regression.</param>
    /// <param name="featureNames">One distinct name per input, in the network's input order.</param>
    /// <param name="featureScaler">The scaler fitted on the training features, or null for none.</param>
    /// <param name="classLabels">Classification: the label text of each class index (2 or more); ignored for regression.</param>
    /// <param name="targetScaler">Regression: the scaler fitted on the training targets, or null when the network
    /// predicts targets in their own units; ignored for classification.</param>
    /// <param name="labelName">The label (target) column's name.</param>
    /// <exception cref="ArgumentException">The pieces do not fit together (widths, class count, uncompiled network).</exception>
    public TrainedModel(Sequential network, ModelTask task, IReadOnlyList<string> featureNames, Scaler? featureScaler,
        IReadOnlyList<string>? classLabels = null, TargetScaler? targetScaler = null, string labelName = "label")
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (network.Loss is null)
        {
            throw new ArgumentException("TrainedModel: the network is not compiled; its loss defines what Evaluate reports.", nameof(network));
        }
        if (featureNames.Count != network.InputDim)
        {
            throw new ArgumentException($"TrainedModel: {featureNames.Count} feature names for a network with {network.InputDim} inputs.", nameof(featureNames));
        }
        string? duplicate = featureNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"TrainedModel: feature name '{duplicate}' appears twice; names select columns and must be unique.", nameof(featureNames));
        }
        if (featureScaler is not null && featureScaler.Offset.Count != network.InputDim)
        {
            throw new ArgumentException($"TrainedModel: the feature scaler was fitted on {featureScaler.Offset.Count} features, the network has {network.InputDim} inputs.", nameof(featureScaler));
        }
        int outputs = network.OutputDim;
        if (task == ModelTask.Classification)
        {
            classLabels ??= [.. Enumerable.Range(0, outputs == 1 ? 2 : outputs).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            bool fits = classLabels.Count == outputs || (outputs == 1 && classLabels.Count == 2);
            if (classLabels.Count < 2 || !fits)
            {
                throw new ArgumentException($"TrainedModel: {classLabels.Count} class labels for a network with {outputs} output(s); it needs one label per output unit (2 for one sigmoid unit).", nameof(classLabels));
            }
            if (classLabels.Distinct(StringComparer.Ordinal).Count() != classLabels.Count)
            {
                throw new ArgumentException("TrainedModel: class labels must be distinct.", nameof(classLabels));
            }
            targetScaler = null;
        }
        else
        {
            classLabels = [];
            if (targetScaler is not null && targetScaler.Outputs != outputs)
            {
                throw new ArgumentException($"TrainedModel: the target scaler has {targetScaler.Outputs} output(s), the network {outputs}.", nameof(targetScaler));
            }
        }
        Network = network;
        Task = task;
        FeatureNames = [.. featureNames];
        FeatureScaler = featureScaler;
        ClassLabels = [.. classLabels];
        TargetScaler = targetScaler;
        LabelName = labelName ?? "label";
    }

    /// <summary>The trained network (inputs scaled, outputs standardised for regression).</summary>
    public Sequential Network { get; }

    /// <summary>Classification or regression.</summary>
    public ModelTask Task { get; }

    /// <summary>The input columns, in the network's order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The scaler fitted on the training features (null: features go in unscaled).</summary>
    public Scaler? FeatureScaler { get; }

    /// <summary>Classification: the label text of class index 0, 1, …; empty for regression.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Regression: the scaler fitted on the training targets (null: the network predicts raw targets).</summary>
    public TargetScaler? TargetScaler { get; }

    /// <summary>The label (target) column's name.</summary>
    public string LabelName { get; }

    /// <summary>How the model was made and what it reported.</summary>
    public ModelProvenance Provenance { get; init; } = new();

    /// <summary>Caveats found when loading (e.g. a format-1 file that stored no preprocessing).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the feature names are unknown (a format-1 file): columns are then taken in order, the first
    /// <see cref="FeatureNames"/>.Count of them, and for evaluation the next one is the label.</summary>
    public bool FeaturesByPosition { get; init; }

    /// <summary>Wraps a bare network: features x0, x1, … unscaled; classes "0", "1", … when the loss is a cross-entropy.</summary>
    /// <param name="network">A network; if not compiled, it is compiled with a loss chosen from its output activation
    /// (sigmoid: binary cross-entropy, softmax: sparse categorical cross-entropy, anything else: MSE).</param>
    /// <returns>The model.</returns>
    public static TrainedModel FromNetwork(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Loss is null)
        {
            network.Compile(DefaultLoss(network), new Optimizers.Sgd());
        }
        bool classification = network.Loss is BinaryCrossEntropy or CategoricalCrossEntropy;
        return new TrainedModel(network, classification ? ModelTask.Classification : ModelTask.Regression,
            [.. Enumerable.Range(0, network.InputDim).Select(i => string.Create(CultureInfo.InvariantCulture, $"x{i}"))], null);
    }

    /// <summary>The loss a network without one is evaluated with, read from its output activation.</summary>
    internal static Loss DefaultLoss(Sequential network) => NetworkHead.OutputActivation(network).Name switch
    {
        "sigmoid" => new BinaryCrossEntropy(),
        "softmax" => new CategoricalCrossEntropy(sparse: true),
        _ => new MeanSquaredError(),
    };

    /// <summary>The network's input for raw rows: the feature scaler applied (a copy).</summary>
    /// <param name="raw">rows×<see cref="FeatureNames"/>.Count in the file's units, columns in <see cref="FeatureNames"/> order.</param>
    /// <returns>The scaled rows.</returns>
    /// <exception cref="ArgumentException">Wrong width.</exception>
    public Tensor Transform(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Rank != 2 || raw.Shape[1] != FeatureNames.Count || raw.Shape[0] == 0)
        {
            throw new ArgumentException(
                $"TrainedModel: raw rows of shape {Tensor.FormatShape(raw.Shape)} do not fit; expected [rows ≥ 1, {FeatureNames.Count}] with columns {string.Join(", ", FeatureNames)}.", nameof(raw));
        }
        return FeatureScaler?.Transform(raw) ?? raw;
    }

    /// <summary>Reorders a data set's columns into <see cref="FeatureNames"/> order, by name.</summary>
    /// <param name="raw">Unscaled rows whose <see cref="Dataset.FeatureNames"/> include every model feature.</param>
    /// <returns>rows×<see cref="FeatureNames"/>.Count.</returns>
    /// <exception cref="DataFormatException">A feature the model needs is missing.</exception>
    public Tensor Align(Dataset raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.FeatureNames.SequenceEqual(FeatureNames, StringComparer.OrdinalIgnoreCase) || (FeaturesByPosition && raw.FeatureCount == FeatureNames.Count))
        {
            return raw.Features;
        }
        int[] index = [.. FeatureNames.Select(n => raw.FeatureNames.ToList().FindIndex(h => string.Equals(h, n, StringComparison.OrdinalIgnoreCase)))];
        string[] missing = [.. FeatureNames.Where((_, i) => index[i] < 0)];
        if (missing.Length > 0)
        {
            throw new DataFormatException(
                $"{raw.Name}: no column{(missing.Length > 1 ? "s" : string.Empty)} {RawTable.List(missing.Select(m => $"'{m}'"))} (the model needs: {RawTable.List(FeatureNames)}). Columns: {RawTable.List(raw.FeatureNames)}.");
        }
        int width = raw.FeatureCount, rows = raw.Rows;
        var values = new float[checked(rows * index.Length)];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < index.Length; f++)
            {
                values[r * index.Length + f] = raw.Features.Data[r * width + index[f]];
            }
        }
        return new Tensor(values, rows, index.Length);
    }

    /// <summary>Class probabilities for raw rows, columns in <see cref="ClassLabels"/> order (one sigmoid unit p gives
    /// the two columns 1 − p, p; logits go through softmax or the sigmoid).</summary>
    /// <param name="raw">Raw rows, columns in <see cref="FeatureNames"/> order.</param>
    /// <returns>rows×classes.</returns>
    /// <exception cref="InvalidOperationException">A regression model.</exception>
    public Tensor PredictProbabilities(Tensor raw)
    {
        RequireClassification(nameof(PredictProbabilities));
        return Probabilities(Network.Predict(Transform(raw)));
    }

    /// <summary>Predictions for raw rows: labels and probabilities, or values in the targets' units.</summary>
    /// <param name="raw">Raw rows, columns in <see cref="FeatureNames"/> order.</param>
    /// <returns>The predictions.</returns>
    public ModelPredictions Predict(Tensor raw)
    {
        Tensor output = Network.Predict(Transform(raw));
        if (Task == ModelTask.Regression)
        {
            return new ModelPredictions(null, null, ToTargetUnits(output));
        }
        int[] classes = PredictedClasses(output);
        return new ModelPredictions([.. classes.Select(c => ClassLabels[c])], Probabilities(output), null);
    }

    /// <summary>Predictions for a table's rows, features picked by name.</summary>
    /// <param name="table">Raw rows with a column for every name in <see cref="FeatureNames"/> (any order, extras ignored).</param>
    /// <returns>The predictions.</returns>
    public ModelPredictions Predict(RawTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Predict(table.Features(FeatureColumns(table)));
    }

    /// <summary>Predictions for a data set's rows, features picked by name.</summary>
    /// <param name="raw">Unscaled rows.</param>
    /// <returns>The predictions.</returns>
    public ModelPredictions Predict(Dataset raw) => Predict(Align(raw));

    /// <summary>Scores raw rows against class labels given as text (classification).</summary>
    /// <param name="raw">Raw rows, columns in <see cref="FeatureNames"/> order.</param>
    /// <param name="labels">One label per row, each one of <see cref="ClassLabels"/>.</param>
    /// <returns>Loss and accuracy.</returns>
    /// <exception cref="DataFormatException">A label the model does not know.</exception>
    public ModelEvaluation Evaluate(Tensor raw, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        RequireClassification(nameof(Evaluate));
        Tensor x = Transform(raw);
        if (labels.Count != x.Shape[0])
        {
            throw new ArgumentException($"TrainedModel.Evaluate: {labels.Count} labels for {x.Shape[0]} rows.", nameof(labels));
        }
        var index = ClassLabels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var classes = new int[labels.Count];
        for (int r = 0; r < classes.Length; r++)
        {
            if (!index.TryGetValue(labels[r].Trim(), out classes[r]))
            {
                throw new DataFormatException($"row {r + 1}: label '{labels[r]}' is not one of the model's classes ({string.Join(", ", ClassLabels)}).");
            }
        }
        var data = new Dataset("evaluation", x, classes, ClassLabels.Count, FeatureNames, ClassLabels, LabelName);
        Evaluation result = Network.Evaluate(x, data.TargetsFor(Network.Loss!, Network.OutputDim));
        return new ModelEvaluation(x.Shape[0], result.Loss, result.Accuracy, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>Scores raw rows against targets in their own units (regression).</summary>
    /// <param name="raw">Raw rows, columns in <see cref="FeatureNames"/> order.</param>
    /// <param name="targets">rows×outputs targets in the file's units.</param>
    /// <returns>Loss (on the standardised scale training used), RMSE, MAE and R² (in the targets' units).</returns>
    public ModelEvaluation Evaluate(Tensor raw, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (Task != ModelTask.Regression)
        {
            throw new InvalidOperationException($"TrainedModel.Evaluate: this model classifies ({string.Join(", ", ClassLabels)}); pass labels as text.");
        }
        Tensor x = Transform(raw);
        if (targets.Rank != 2 || targets.Shape[0] != x.Shape[0] || targets.Shape[1] != Network.OutputDim)
        {
            throw new ArgumentException($"TrainedModel.Evaluate: targets {Tensor.FormatShape(targets.Shape)} do not fit {x.Shape[0]} rows × {Network.OutputDim} output(s).", nameof(targets));
        }
        Evaluation result = Network.Evaluate(x, TargetScaler?.Transform(targets) ?? targets);
        double[] predicted = ToTargetUnits(Network.Predict(x));
        (double rmse, double mae, double r2) = RegressionMetrics.Compute(predicted, targets);
        return new ModelEvaluation(x.Shape[0], result.Loss, double.NaN, rmse, mae, r2);
    }

    /// <summary>Scores a data set's raw rows (features picked by name; class labels matched by their text).</summary>
    /// <param name="raw">Unscaled rows with labels or targets.</param>
    /// <returns>The scores.</returns>
    public ModelEvaluation Evaluate(Dataset raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        Tensor x = Align(raw);
        if (Task == ModelTask.Regression)
        {
            if (raw.IsClassification)
            {
                throw new ArgumentException($"TrainedModel.Evaluate: '{raw.Name}' has class labels; this model predicts numbers for '{LabelName}'.", nameof(raw));
            }
            return Evaluate(x, raw.RegressionTargets!);
        }
        if (!raw.IsClassification)
        {
            throw new ArgumentException($"TrainedModel.Evaluate: '{raw.Name}' has numeric targets; this model predicts classes ({string.Join(", ", ClassLabels)}).", nameof(raw));
        }
        return Evaluate(x, [.. raw.Labels!.Select(l => raw.ClassNames[l])]);
    }

    /// <summary>Scores a table's rows: features picked by name, the label column <see cref="LabelName"/> read as text
    /// (classification) or numbers (regression).</summary>
    /// <param name="table">Raw rows including the label column.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="DataFormatException">A missing column, a bad cell, or an unknown label.</exception>
    public ModelEvaluation Evaluate(RawTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Tensor x = table.Features(FeatureColumns(table));
        IReadOnlyList<string> labels = table.Column(FeaturesByPosition && table.Columns.Count > FeatureNames.Count ? table.Columns[FeatureNames.Count] : LabelName);
        if (Task == ModelTask.Classification)
        {
            try
            {
                return Evaluate(x, labels);
            }
            catch (DataFormatException ex)
            {
                throw new DataFormatException($"{table.Name}: {ex.Message}", ex);
            }
        }
        var targets = new float[labels.Count];
        for (int r = 0; r < targets.Length; r++)
        {
            targets[r] = table.Number(labels[r], r, LabelName);
        }
        return Evaluate(x, new Tensor(targets, labels.Count, 1));
    }

    private IReadOnlyList<string> FeatureColumns(RawTable table) =>
        FeaturesByPosition && table.Columns.Count >= FeatureNames.Count ? [.. table.Columns.Take(FeatureNames.Count)] : FeatureNames;

    private double[] ToTargetUnits(Tensor output) =>
        TargetScaler?.Inverse(output) ?? [.. output.Data.Take(output.Length).Select(v => (double)v)];

    /// <summary>The class of each row, decided as the accuracy metric decides it (threshold for one unit, argmax otherwise).</summary>
    private int[] PredictedClasses(Tensor output)
    {
        int rows = output.Shape[0], cols = output.Shape[1];
        var classes = new int[rows];
        // The same rule as the accuracy metric: logits threshold at 0, probabilities at 0.5.
        float threshold = Network.Loss!.FromLogits ? 0f : 0.5f;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = output.Data.AsSpan(r * cols, cols);
            classes[r] = cols == 1 ? (row[0] > threshold ? 1 : 0) : Metrics.ArgMax(row);
        }
        return classes;
    }

    private Tensor Probabilities(Tensor output)
    {
        int rows = output.Shape[0], cols = output.Shape[1];
        bool logits = Network.Loss!.FromLogits;
        int classes = ClassLabels.Count;
        var p = new float[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = output.Data.AsSpan(r * cols, cols);
            Span<float> dst = p.AsSpan(r * classes, classes);
            if (cols == 1)
            {
                double one = logits ? 1 / (1 + Math.Exp(-row[0])) : row[0];
                dst[0] = (float)(1 - one);
                dst[1] = (float)one;
            }
            else if (logits)
            {
                float max = float.NegativeInfinity;
                foreach (float v in row)
                {
                    max = Math.Max(max, v);
                }
                double sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    sum += Math.Exp(row[c] - max);
                }
                for (int c = 0; c < cols; c++)
                {
                    dst[c] = (float)(Math.Exp(row[c] - max) / sum);
                }
            }
            else
            {
                row.CopyTo(dst);
            }
        }
        return new Tensor(p, rows, classes);
    }

    private void RequireClassification(string operation)
    {
        if (Task != ModelTask.Classification)
        {
            throw new InvalidOperationException($"TrainedModel.{operation}: this model predicts numbers for '{LabelName}' (regression); it has no classes.");
        }
    }
}
