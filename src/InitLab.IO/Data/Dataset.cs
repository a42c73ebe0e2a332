using InitLab.Losses;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Features (rows×features, float32) with either class labels (classification) or real-valued targets (regression).
/// Each row may carry a shape (<see cref="RowShape"/>): the 8×8 digits are [8, 8, 1] images, a sequence task [T, F];
/// the features stay one flat row either way, the shape flattened row-major (the last index fastest, as NumPy and
/// Keras lay out arrays), so a model built with <c>new Sequential(data.RowShape, layers, seed)</c> reads the same floats
/// a plain Dense stack reads.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a classification data set.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">rows×features.</param>
    /// <param name="labels">One class index per row, 0..classes−1.</param>
    /// <param name="classes">Number of classes, ≥ 2.</param>
    /// <param name="featureNames">Optional column names.</param>
    /// <param name="classNames">The label text of each class index (default "0", "1", …).</param>
    /// <param name="labelName">The label column's name (default "label").</param>
    public Dataset(string name, Tensor features, int[] labels, int classes, IReadOnlyList<string>? featureNames = null,
        IReadOnlyList<string>? classNames = null, string? labelName = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank != 2 || features.Shape[0] != labels.Length)
        {
            throw new ArgumentException($"Dataset '{name}': {labels.Length} labels for features of shape {Tensor.FormatShape(features.Shape)}.", nameof(labels));
        }
        if (classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Dataset '{name}': a classification set needs at least 2 classes, got {classes}.");
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new ArgumentException($"Dataset '{name}': label of row {i} is {labels[i]}, expected 0..{classes - 1}.", nameof(labels));
            }
        }
        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"Dataset '{name}': {classNames.Count} class names for {classes} classes.", nameof(classNames));
        }
        Name = name;
        Features = features;
        Labels = labels;
        Classes = classes;
        FeatureNames = featureNames ?? DefaultNames(features.Shape[1]);
        ClassNames = classNames ?? [.. Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        LabelName = labelName ?? "label";
        _rowShape = [features.Shape[1]];
    }

    /// <summary>Creates a regression data set.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">rows×features.</param>
    /// <param name="targets">rows×outputs.</param>
    /// <param name="featureNames">Optional column names.</param>
    /// <param name="labelName">The target column's name (default "label").</param>
    public Dataset(string name, Tensor features, Tensor targets, IReadOnlyList<string>? featureNames = null, string? labelName = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Rank != 2 || targets.Rank != 2 || features.Shape[0] != targets.Shape[0])
        {
            throw new ArgumentException($"Dataset '{name}': targets {Tensor.FormatShape(targets.Shape)} do not match features {Tensor.FormatShape(features.Shape)}.", nameof(targets));
        }
        Name = name;
        Features = features;
        RegressionTargets = targets;
        FeatureNames = featureNames ?? DefaultNames(features.Shape[1]);
        ClassNames = [];
        LabelName = labelName ?? "label";
        _rowShape = [features.Shape[1]];
    }

    private int[] _rowShape;

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>rows×features.</summary>
    public Tensor Features { get; }

    /// <summary>Class labels (null for regression).</summary>
    public int[]? Labels { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int Classes { get; }

    /// <summary>Regression targets (null for classification).</summary>
    public Tensor? RegressionTargets { get; }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The label text of each class index, in index order (empty for regression).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label (target) column's name.</summary>
    public string LabelName { get; }

    /// <summary>The shape of one row, e.g. [8, 8, 1] (height, width, channels; Keras's channels-last) for the digits
    /// images, [T, F] for a sequence of T steps of F features; the row is this shape flattened row-major. Default
    /// [<see cref="FeatureCount"/>]: a plain vector. Set only with a shape whose product is the feature count.</summary>
    /// <exception cref="ArgumentException">A dimension is below 1, or the product is not <see cref="FeatureCount"/>.</exception>
    public IReadOnlyList<int> RowShape
    {
        get => Array.AsReadOnly(_rowShape);
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _rowShape = Fits(value) ? [.. value] : throw new ArgumentException(
                $"Dataset '{Name}': row shape {Tensor.FormatShape(value)} does not fit rows of {FeatureCount} features; every dimension must be >= 1 " +
                $"and their product {FeatureCount} (e.g. [{FeatureCount}], or [8, 8, 1] for 64 pixels).", nameof(RowShape));
        }
    }

    /// <summary>Why the loader chose classification or regression (null when the set's kind is fixed, e.g. moons).</summary>
    public string? TaskReason { get; init; }

    /// <summary>The task this set's labels define.</summary>
    public ModelTask Task => IsClassification ? ModelTask.Classification : ModelTask.Regression;

    /// <summary>Rows.</summary>
    public int Rows => Features.Shape[0];

    /// <summary>Features per row.</summary>
    public int FeatureCount => Features.Shape[1];

    /// <summary>Whether this is a classification set.</summary>
    public bool IsClassification => Labels is not null;

    /// <summary>The output width a model needs: 1 for binary (sigmoid), the class count otherwise, the target width for regression.</summary>
    public int OutputWidth => IsClassification ? (Classes == 2 ? 1 : Classes) : RegressionTargets!.Shape[1];

    /// <summary>Targets laid out for <paramref name="loss"/>: class indices, one-hot rows, 0/1 column, or regression values.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputWidth">The model's output width.</param>
    /// <returns>The target tensor.</returns>
    public Tensor TargetsFor(Loss loss, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!IsClassification)
        {
            return RegressionTargets!;
        }
        int[] labels = Labels!;
        if (loss.TargetKind == TargetKind.ClassIndex)
        {
            return new Tensor([.. labels.Select(l => (float)l)], labels.Length, 1);
        }
        if (outputWidth == 1)
        {
            if (Classes != 2)
            {
                throw new ArgumentException($"Dataset '{Name}' has {Classes} classes; a model with 1 output unit can only separate 2. Make the last width {Classes}.");
            }
            return new Tensor([.. labels.Select(l => (float)l)], labels.Length, 1);
        }
        if (outputWidth != Classes)
        {
            throw new ArgumentException($"Dataset '{Name}' has {Classes} classes but the last layer has {outputWidth} units; make the last width {Classes} (or 1 for 2 classes).");
        }
        var oneHot = new float[labels.Length * Classes];
        for (int i = 0; i < labels.Length; i++)
        {
            oneHot[i * Classes + labels[i]] = 1f;
        }
        return new Tensor(oneHot, labels.Length, Classes);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Row indices.</param>
    /// <param name="name">Name of the subset.</param>
    /// <returns>The subset.</returns>
    public Dataset Subset(ReadOnlySpan<int> indices, string name)
    {
        int width = FeatureCount;
        var features = new float[indices.Length * width];
        for (int i = 0; i < indices.Length; i++)
        {
            Features.Data.AsSpan(indices[i] * width, width).CopyTo(features.AsSpan(i * width));
        }
        var x = new Tensor(features, indices.Length, width);
        if (IsClassification)
        {
            var labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                labels[i] = Labels![indices[i]];
            }
            return new Dataset(name, x, labels, Classes, FeatureNames, ClassNames, LabelName) { TaskReason = TaskReason, RowShape = _rowShape };
        }
        int outputs = RegressionTargets!.Shape[1];
        var targets = new float[indices.Length * outputs];
        for (int i = 0; i < indices.Length; i++)
        {
            RegressionTargets.Data.AsSpan(indices[i] * outputs, outputs).CopyTo(targets.AsSpan(i * outputs));
        }
        return new Dataset(name, x, new Tensor(targets, indices.Length, outputs), FeatureNames, LabelName) { TaskReason = TaskReason, RowShape = _rowShape };
    }

    /// <summary>The same labels, names and targets with other features (e.g. scaled ones). The row shape is kept when
    /// the width is (scaling does not move pixels); a new width makes the rows plain vectors.</summary>
    /// <param name="features">rows×features with this set's row count.</param>
    /// <returns>The new set.</returns>
    public Dataset WithFeatures(Tensor features)
    {
        Dataset data = IsClassification
            ? new Dataset(Name, features, Labels!, Classes, FeatureNames, ClassNames, LabelName) { TaskReason = TaskReason }
            : new Dataset(Name, features, RegressionTargets!, FeatureNames, LabelName) { TaskReason = TaskReason };
        if (data.FeatureCount == FeatureCount)
        {
            data._rowShape = _rowShape;
        }
        return data;
    }

    /// <summary>The same features and names with other regression targets (e.g. standardised ones).</summary>
    /// <param name="targets">rows×outputs with this set's row count.</param>
    /// <returns>The new set.</returns>
    public Dataset WithTargets(Tensor targets) => new(Name, Features, targets, FeatureNames, LabelName) { TaskReason = TaskReason, RowShape = _rowShape };

    /// <summary>The same rows (the very same features, labels and targets) seen with another row shape, e.g. the [8, 8, 1]
    /// digits as a sequence of 8 rows of 8 pixels, [8, 8].</summary>
    /// <param name="rowShape">The new shape; its product must be <see cref="FeatureCount"/>.</param>
    /// <param name="name">The new set's name (null: this set's).</param>
    /// <returns>The reshaped set.</returns>
    /// <exception cref="ArgumentException">A dimension is below 1, or the product is not <see cref="FeatureCount"/>.</exception>
    public Dataset WithRowShape(IReadOnlyList<int> rowShape, string? name = null) => IsClassification
        ? new Dataset(name ?? Name, Features, Labels!, Classes, FeatureNames, ClassNames, LabelName) { TaskReason = TaskReason, RowShape = rowShape }
        : new Dataset(name ?? Name, Features, RegressionTargets!, FeatureNames, LabelName) { TaskReason = TaskReason, RowShape = rowShape };

    /// <summary>A seeded random split: the first ⌈(1 − testFraction)·rows⌉ rows of a shuffled order train, the rest test.</summary>
    /// <param name="testFraction">Fraction for testing, in (0, 1).</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <returns>(train, test).</returns>
    public (Dataset Train, Dataset Test) Split(double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"Split: test fraction must be in (0, 1), got {testFraction}.");
        }
        int testRows = Math.Max(1, (int)Math.Round(Rows * testFraction));
        if (testRows >= Rows)
        {
            throw new ArgumentException($"Split: {Rows} rows are too few to hold out {testFraction:P0} for testing.", nameof(testFraction));
        }
        return Split(testRows, seed);
    }

    /// <summary>A seeded random split with exactly <paramref name="testRows"/> test rows (e.g. 360 of the 1797 digits):
    /// the same shuffled order as the fraction overload, so both agree when the counts do.</summary>
    /// <param name="testRows">Rows held out, 1 ≤ testRows &lt; Rows.</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <returns>(train, test).</returns>
    /// <exception cref="ArgumentOutOfRangeException">testRows leaves no training or no test row.</exception>
    public (Dataset Train, Dataset Test) Split(int testRows, ulong seed = 0)
    {
        if (testRows < 1 || testRows >= Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(testRows), testRows,
                $"Split: test rows must be between 1 and {Rows - 1} (the data has {Rows} rows), got {testRows}.");
        }
        int[] order = [.. Enumerable.Range(0, Rows)];
        new Rng(seed).Fork(0x53504C54).Shuffle(order.AsSpan());
        return (Subset(order.AsSpan(testRows), Name + " (train)"), Subset(order.AsSpan(0, testRows), Name + " (test)"));
    }

    private bool Fits(IReadOnlyList<int> shape)
    {
        long product = 1;
        foreach (int dimension in shape)
        {
            product = dimension < 1 ? 0 : Math.Min(product * dimension, int.MaxValue + 1L);
        }
        return shape.Count > 0 && product == FeatureCount;
    }

    private static string[] DefaultNames(int count) => [.. Enumerable.Range(0, count).Select(i => $"x{i}")];
}
