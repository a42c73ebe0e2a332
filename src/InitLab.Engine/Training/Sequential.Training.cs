using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Training;

public sealed partial class Sequential
{
    private Loss? _loss;
    private Loss? _fusedLoss;
    private Optimizer? _optimizer;

    /// <summary>The loss set by <see cref="Compile"/>.</summary>
    public Loss? Loss => _loss;

    /// <summary>The optimizer set by <see cref="Compile"/>.</summary>
    public Optimizer? Optimizer => _optimizer;

    /// <summary>Chooses the cost and the optimization algorithm. Softmax + categorical cross-entropy and sigmoid + binary
    /// cross-entropy are fused into the stable loss on logits (same value; gradient p − y).</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The optimizer.</param>
    public void Compile(Loss loss, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        _loss = loss;
        _optimizer = optimizer;
        // Fused only when the model ends in a Dense layer, whose pre-activation the stable loss on logits reads.
        _fusedLoss = _layers[^1] is Dense last ? loss.FuseWith(last.Activation.Name) : null;
    }

    /// <summary>Trains on (x, y).</summary>
    /// <param name="x">Inputs, rows×InputDim.</param>
    /// <param name="y">Targets: rows×OutputDim, or rows×1 class indices for sparse losses.</param>
    /// <param name="options">Epochs, batch size, shuffling, validation, callbacks.</param>
    /// <returns>Per-epoch metrics.</returns>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public History Fit(Tensor x, Tensor y, FitOptions? options = null)
    {
        options ??= new FitOptions();
        Loss loss = _loss ?? throw new InvalidOperationException("Sequential.Fit: call Compile(loss, optimizer) first.");
        Optimizer optimizer = _optimizer!;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Epochs, "epochs");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, "batchSize");
        if (!(options.ValidationSplit >= 0 && options.ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationSplit,
                string.Create(CultureInfo.InvariantCulture, $"Fit: validation split must be in [0, 1), got {options.ValidationSplit}."));
        }
        int rows = CheckInput(x, nameof(x));
        int targetWidth = CheckTargets(y, rows, nameof(y));
        (int trainRows, Tensor? valX, Tensor? valY) = SplitValidation(x, y, rows, options);
        if (trainRows < 1)
        {
            throw new ArgumentException($"Fit: no training rows left after holding out validation data ({rows} rows, split {options.ValidationSplit}).", nameof(options));
        }
        int batchSize = Math.Min(options.BatchSize, trainRows);
        EnsureBatchBuffers(batchSize, targetWidth);

        var history = new History { StepLosses = options.RecordStepLosses ? [] : null };
        if (LsuvPending)
        {
            int calibrationRows = Math.Min(trainRows, Math.Max(batchSize, 256));
            history.Lsuv = LsuvCalibrator.Calibrate(this, new Tensor(x.Data[..(calibrationRows * InputDim)], calibrationRows, InputDim));
            EnsureBatchBuffers(batchSize, targetWidth);
        }

        bool fused = _fusedLoss is not null;
        Layer last = _layers[^1];
        int outputs = OutputDim;
        var order = new int[trainRows];
        for (int i = 0; i < trainRows; i++)
        {
            order[i] = i;
        }
        var shuffleRng = new Rng(options.ShuffleSeed).Fork(0x5348_5546);
        var batchContext = new BatchContext(this);
        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainBegin(this);
        }
        double lastFinite = double.NaN;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle)
            {
                shuffleRng.Shuffle(order.AsSpan());
            }
            double lossSum = 0;
            double correct = 0;
            int step = 0;
            int seen = trainRows;
            for (int start = 0; start < trainRows; start += batchSize, step++)
            {
                int count = Math.Min(batchSize, trainRows - start);
                Gather(x.Data, InputDim, order.AsSpan(start, count), _batchInput);
                Gather(y.Data, targetWidth, order.AsSpan(start, count), _batchTarget);
                Forward(_batchInput, count, PassMode.Train);
                ReadOnlySpan<float> target = _batchTarget.AsSpan(0, count * targetWidth);
                double batchLoss = LossOnLastLayer(target, count);
                if (!double.IsFinite(batchLoss))
                {
                    (string layer, double norm) = LargestGradient();
                    throw new TrainingDivergedException(epoch, step, batchLoss, lastFinite, layer, norm);
                }
                lastFinite = batchLoss;
                lossSum += batchLoss * count;
                double batchCorrect = Metrics.CountCorrect(last.Output, target, count, outputs, loss);
                correct += batchCorrect;
                BackwardAndUpdate(fused, optimizer);
                history.Steps++;
                history.StepLosses?.Add(batchLoss);
                if (options.Callbacks.Count > 0)
                {
                    batchContext.Epoch = epoch;
                    batchContext.StepInEpoch = step;
                    batchContext.Step = history.Steps - 1;
                    batchContext.Rows = count;
                    batchContext.Loss = batchLoss;
                    batchContext.Accuracy = Metrics.HasAccuracy(loss, outputs) ? batchCorrect / count : double.NaN;
                    foreach (var callback in options.Callbacks)
                    {
                        callback.OnBatchEnd(batchContext);
                    }
                    if (batchContext.StopTraining)
                    {
                        // Keras's stop_training: finish this epoch's bookkeeping over the rows seen, then stop.
                        seen = start + count;
                        break;
                    }
                }
            }
            double accuracy = Metrics.HasAccuracy(loss, outputs) ? (double)correct / seen : double.NaN;
            Evaluation? validation = valX is null ? null : Evaluate(valX, valY!, batchSize);
            var metrics = new EpochMetrics(epoch, lossSum / seen, accuracy, validation?.Loss, validation?.Accuracy);
            history.Epochs.Add(metrics);
            var epochContext = new EpochContext(this, metrics);
            foreach (var callback in options.Callbacks)
            {
                callback.OnEpochEnd(epochContext);
            }
            if (epochContext.StopTraining || batchContext.StopTraining)
            {
                history.StoppedEarly = epoch < options.Epochs || batchContext.StopTraining;
                history.StoppedEpoch = epoch;
                break;
            }
        }
        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainEnd(this, history);
        }
        return history;
    }

    /// <summary>Mean loss and accuracy on (x, y), with the compiled loss.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <returns>Loss and accuracy.</returns>
    public Evaluation Evaluate(Tensor x, Tensor y, int batchSize = 256)
    {
        Loss loss = _loss ?? throw new InvalidOperationException("Sequential.Evaluate: call Compile(loss, optimizer) first.");
        int rows = CheckInput(x, nameof(x));
        int targetWidth = CheckTargets(y, rows, nameof(y));
        Layer last = _layers[^1];
        double lossSum = 0;
        double correct = 0;
        ForEachBatch(x.Data, rows, batchSize, (start, count) =>
        {
            ReadOnlySpan<float> target = y.Data.AsSpan(start * targetWidth, count * targetWidth);
            lossSum += count * LossOnLastLayer(target, count);
            correct += Metrics.CountCorrect(last.Output, target, count, OutputDim, loss);
        });
        return new Evaluation(lossSum / rows, Metrics.HasAccuracy(loss, OutputDim) ? (double)correct / rows : double.NaN);
    }

    /// <summary>
    /// One forward and backward pass on (x, y) without an update: afterwards every layer's buffers (activations,
    /// gradients) describe this batch. What diagnostics measure at initialisation.
    /// </summary>
    /// <param name="x">Inputs, rows×InputDim.</param>
    /// <param name="y">Targets as for <see cref="Fit"/>.</param>
    /// <returns>The batch loss.</returns>
    public double ComputeGradients(Tensor x, Tensor y)
    {
        _ = _loss ?? throw new InvalidOperationException("Sequential.ComputeGradients: call Compile(loss, optimizer) first.");
        int rows = CheckInput(x, nameof(x));
        int targetWidth = CheckTargets(y, rows, nameof(y));
        EnsureBatchBuffers(rows, targetWidth);
        x.Data.AsSpan(0, rows * InputDim).CopyTo(_batchInput);
        Forward(_batchInput, rows, PassMode.Probe);
        double value = LossOnLastLayer(y.Data.AsSpan(0, rows * targetWidth), rows);
        Backward(_fusedLoss is not null);
        return value;
    }

    /// <summary>
    /// One optimisation step on a whole batch: forward, loss, backward, update. The batch is used in place (not
    /// copied); after the first call with a given size nothing is allocated. What the benchmarks time.
    /// </summary>
    /// <param name="x">Inputs, rows×InputDim.</param>
    /// <param name="y">Targets as for <see cref="Fit"/> (not range-checked here; see <see cref="Fit"/>).</param>
    /// <returns>The batch loss.</returns>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite.</exception>
    public double TrainBatch(Tensor x, Tensor y)
    {
        _ = _loss ?? throw new InvalidOperationException("Sequential.TrainBatch: call Compile(loss, optimizer) first.");
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int rows = x.Shape[0];
        if (x.Rank != 2 || x.Shape[1] != InputDim || y.Shape[0] != rows)
        {
            CheckInput(x, nameof(x));
            CheckTargets(y, rows, nameof(y));
        }
        Forward(x.Data, rows, PassMode.Train);
        int targetWidth = y.Length / rows;
        double value = LossOnLastLayer(y.Data.AsSpan(0, rows * targetWidth), rows);
        if (!double.IsFinite(value))
        {
            (string layer, double norm) = LargestGradient();
            throw new TrainingDivergedException(0, 0, value, double.NaN, layer, norm);
        }
        BackwardAndUpdate(_fusedLoss is not null, _optimizer!);
        return value;
    }

    /// <summary>The layer whose weight gradient (kernels and trained α: every parameter not marked IsBias — biases, β and γ are skipped, as weight decay skips them) has the largest L2 norm,
    /// and that norm.</summary>
    /// <returns>(layer name, norm).</returns>
    public (string Layer, double Norm) LargestGradient()
    {
        string name = _layers[0].Name;
        double best = -1;
        foreach (Parameter p in _parameters)
        {
            if (p.IsBias)
            {
                continue;
            }
            double norm = TensorPrimitives.Norm(p.Gradient);
            if (double.IsNaN(norm) || norm > best)
            {
                best = norm;
                int slash = p.Name.LastIndexOf('/');
                name = slash > 0 ? p.Name[..slash] : p.Name;
                if (double.IsNaN(norm))
                {
                    break;
                }
            }
        }
        return (name, best);
    }

    /// <summary>
    /// The loss of the last forward pass, writing its gradient where <see cref="Backward(bool, float[], Optimizer)"/> expects it: on the
    /// pre-activation when the loss is fused with the last activation (logits), on the activation otherwise.
    /// </summary>
    private double LossOnLastLayer(ReadOnlySpan<float> target, int rows)
    {
        Layer last = _layers[^1];
        return _fusedLoss is not null && last is Dense dense
            ? _fusedLoss.Compute<float>(dense.PreActivation, target, dense.WritablePreActivationGradient(rows), rows, OutputDim)
            : _loss!.Compute<float>(last.Output, target, last.WritableOutputGradient(rows), rows, OutputDim);
    }

    private int CheckTargets(Tensor y, int rows, string argument)
    {
        ArgumentNullException.ThrowIfNull(y, argument);
        Loss loss = _loss!;
        int width = y.Rank == 1 ? 1 : y.Shape[1];
        if (y.Rank > 2 || y.Shape[0] != rows)
        {
            throw new ArgumentException($"Sequential: targets of shape {Tensor.FormatShape(y.Shape)} do not match {rows} input rows.", argument);
        }
        if (loss.TargetKind == TargetKind.ClassIndex)
        {
            if (width != 1)
            {
                throw new ArgumentException($"Sequential: loss '{loss.Name}' takes one class index per row, but the targets have {width} columns.", argument);
            }
            for (int i = 0; i < rows; i++)
            {
                float label = y.Data[i];
                if (label != MathF.Floor(label) || label < 0 || label >= OutputDim)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Sequential: target of row {i} is class {label}, but the last layer has {OutputDim} units (classes 0..{OutputDim - 1})."), argument);
                }
            }
        }
        else if (width != OutputDim)
        {
            throw new ArgumentException(
                $"Sequential: the last layer has {OutputDim} units but the targets have {width} columns; make the last width {width}.", argument);
        }
        return width;
    }

    private (int TrainRows, Tensor? ValX, Tensor? ValY) SplitValidation(Tensor x, Tensor y, int rows, FitOptions options)
    {
        if (options.ValidationX is not null)
        {
            ArgumentNullException.ThrowIfNull(options.ValidationY, "ValidationY");
            int valRows = CheckInput(options.ValidationX, "ValidationX");
            CheckTargets(options.ValidationY, valRows, "ValidationY");
            return (rows, options.ValidationX, options.ValidationY);
        }
        int held = (int)(rows * options.ValidationSplit);
        if (held == 0)
        {
            return (rows, null, null);
        }
        int train = rows - held;
        int targetWidth = y.Rank == 1 ? 1 : y.Shape[1];
        var valX = new Tensor(x.Data[(train * InputDim)..(rows * InputDim)], held, InputDim);
        var valY = new Tensor(y.Data[(train * targetWidth)..(rows * targetWidth)], held, targetWidth);
        return (train, valX, valY);
    }

    private static void Gather(float[] source, int width, ReadOnlySpan<int> rows, float[] destination)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            source.AsSpan(rows[i] * width, width).CopyTo(destination.AsSpan(i * width, width));
        }
    }
}
