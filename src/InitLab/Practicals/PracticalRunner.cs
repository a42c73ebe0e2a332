using System.Diagnostics;
using InitLab.Common;
using InitLab.Data;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals;

/// <summary>Runs practical cases: for every seed, measure at initialisation, train, measure again, classify.</summary>
public sealed class PracticalRunner
{
    private const int ProbeRows = 256;
    private readonly PracticalOptions _options;
    private readonly Dictionary<string, (Dataset Train, Dataset Test)> _data = new(StringComparer.Ordinal);
    private Dataset _train = null!;
    private Dataset _test = null!;

    /// <summary>Creates a runner; each data set is loaded once and shared by the cases that use it.</summary>
    /// <param name="options">Options.</param>
    public PracticalRunner(PracticalOptions? options = null)
    {
        _options = options ?? new PracticalOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Seeds, "seeds");
        UseData(_options.Data);
    }

    /// <summary>The options.</summary>
    public PracticalOptions Options => _options;

    /// <summary>Runs one case over all seeds.</summary>
    /// <param name="practical">The case.</param>
    /// <returns>The result.</returns>
    public PracticalResult Run(PracticalCase practical)
    {
        ArgumentNullException.ThrowIfNull(practical);
        UseData(practical.Data ?? _options.Data);
        var runs = new List<SeedRun>();
        IReadOnlyList<LayerPrediction>? predicted = null;
        IReadOnlyList<float[]> samples = [];
        DecisionGrid? grid = null;
        for (int s = 0; s < _options.Seeds; s++)
        {
            ulong seed = (ulong)s + 1;
            Sequential model = Build(practical, seed);
            if (s == 0)
            {
                predicted = SignalPropagation.Predict(model.DenseLayers, InputMeanSquare());
            }
            runs.Add(RunSeed(practical, model, seed, s == 0 ? layerSamples => samples = layerSamples : null));
            if (s == 0 && _train.FeatureCount == 2 && _train.OutputWidth == 1 && !runs[0].Diverged)
            {
                grid = Grid(model);
            }
        }
        return new PracticalResult(practical, runs, predicted, samples, grid);
    }

    /// <summary>The network of a case: Dense(width, activation) × hidden layers, then one sigmoid output unit.</summary>
    /// <param name="practical">The case.</param>
    /// <param name="seed">Weight seed.</param>
    /// <returns>The compiled model.</returns>
    public Sequential Build(PracticalCase practical, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(practical);
        UseData(practical.Data ?? _options.Data);
        var layers = new List<Dense>();
        for (int i = 0; i < practical.HiddenLayers; i++)
        {
            layers.Add(new Dense(practical.Width, practical.Activation, practical.KernelInitializer, practical.BiasInitializer));
        }
        // The output layer uses the case's initializer too: the tutorial's recipes initialise every layer.
        layers.Add(new Dense(_train.OutputWidth, _train.OutputWidth == 1 ? "sigmoid" : "softmax", practical.KernelInitializer, practical.BiasInitializer));
        var model = new Sequential(_train.FeatureCount, layers, seed) { Threads = _options.Threads };
        model.Compile(_train.OutputWidth == 1 ? new BinaryCrossEntropy() : new CategoricalCrossEntropy(sparse: true), practical.Optimizer is string name
            ? OptimizerRegistry.Resolve(name, practical.LearningRate)
            : new Sgd(practical.LearningRate ?? _options.LearningRate, _options.Momentum));
        return model;
    }

    /// <summary>The batch a case's model is probed on (the first 256 training rows), for diagnosing the same network
    /// on the same data as the practicals do.</summary>
    /// <param name="practical">The case.</param>
    /// <param name="model">Its model (<see cref="Build"/>).</param>
    /// <returns>Inputs and targets.</returns>
    public (Tensor X, Tensor Y) ProbeBatchFor(PracticalCase practical, Sequential model)
    {
        ArgumentNullException.ThrowIfNull(practical);
        ArgumentNullException.ThrowIfNull(model);
        UseData(practical.Data ?? _options.Data);
        return ProbeBatch(_train.TargetsFor(model.Loss!, model.OutputDim));
    }

    private SeedRun RunSeed(PracticalCase practical, Sequential model, ulong seed, Action<IReadOnlyList<float[]>>? keepSamples)
    {
        var clock = Stopwatch.StartNew();
        Tensor trainTargets = _train.TargetsFor(model.Loss!, model.OutputDim);
        Tensor testTargets = _test.TargetsFor(model.Loss!, model.OutputDim);
        (Tensor probeX, Tensor probeY) = ProbeBatch(trainTargets);
        ModelSnapshot atInit = Probe.Measure(model, probeX, probeY);
        keepSamples?.Invoke([.. model.Layers.Take(model.Layers.Count - 1).Select(l => l.Output.ToArray())]);
        int hidden = model.Layers.Count - 1;
        var initialKernels = model.DenseLayers.Take(hidden).Select(l => l.Kernel.ToArray()).ToList();
        var initialBiases = model.DenseLayers.Take(hidden).Select(l => l.Bias.ToArray()).ToList();
        var losses = new List<double>();
        bool diverged = false;
        string? divergence = null;
        try
        {
            History history = model.Fit(_train.Features, trainTargets, new FitOptions
            {
                Epochs = _options.EffectiveEpochs,
                BatchSize = _options.BatchSize,
                ShuffleSeed = seed,
            });
            losses.AddRange(history.Epochs.Select(e => e.Loss));
        }
        catch (TrainingDivergedException ex)
        {
            diverged = true;
            divergence = ex.Message;
        }
        bool unchanged = true;
        var changes = new List<double>();
        for (int i = 0; i < hidden; i++)
        {
            Dense layer = model.DenseLayers[i];
            unchanged &= layer.Kernel.SequenceEqual(initialKernels[i]) && layer.Bias.SequenceEqual(initialBiases[i]);
            changes.Add(WeightStatistics.RelativeChange(layer.Kernel, initialKernels[i]));
        }
        var distinct = model.DenseLayers.Take(hidden).Select(WeightStatistics.DistinctUnits).ToList();
        var ranks = model.DenseLayers.Take(hidden).Select(WeightStatistics.NumericalRank).ToList();
        double accuracy = double.NaN;
        ModelSnapshot? atEnd = null;
        if (!diverged)
        {
            accuracy = model.Evaluate(_test.Features, testTargets).Accuracy;
            atEnd = Probe.Measure(model, probeX, probeY);
        }
        var evidence = new VerdictEvidence(atInit, unchanged && !diverged, distinct, diverged, accuracy);
        (Verdict verdict, string reason) = VerdictClassifier.Classify(evidence);
        if (divergence is not null)
        {
            reason += " — " + divergence;
        }
        return new SeedRun(seed, verdict, reason, atInit, atEnd, losses, losses.Count > 0 && !diverged ? losses[^1] : double.NaN, accuracy,
            changes.Average(), unchanged && !diverged, distinct, ranks, diverged, clock.Elapsed.TotalSeconds);
    }

    private void UseData(string name)
    {
        if (!_data.TryGetValue(name, out var splits))
        {
            splits = DataSource.Load(name, new DataOptions { Rows = _options.Rows, Seed = _options.DataSeed, TestFraction = 0.25 });
            _data[name] = splits;
        }
        (_train, _test) = splits;
    }

    private (Tensor X, Tensor Y) ProbeBatch(Tensor targets)
    {
        int rows = Math.Min(ProbeRows, _train.Rows);
        int width = targets.Shape[1];
        return (new Tensor(_train.Features.Data[..(rows * _train.FeatureCount)], rows, _train.FeatureCount),
            new Tensor(targets.Data[..(rows * width)], rows, width));
    }

    private double InputMeanSquare() => SampleStatistics.MeanSquare(_train.Features.Data);

    private DecisionGrid Grid(Sequential model)
    {
        const int size = 80;
        float[] x = _train.Features.Data;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < x.Length; i += 2)
        {
            minX = Math.Min(minX, x[i]);
            maxX = Math.Max(maxX, x[i]);
            minY = Math.Min(minY, x[i + 1]);
            maxY = Math.Max(maxY, x[i + 1]);
        }
        double padX = 0.1 * (maxX - minX), padY = 0.1 * (maxY - minY);
        (minX, maxX, minY, maxY) = (minX - padX, maxX + padX, minY - padY, maxY + padY);
        var points = new float[size * size * 2];
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                points[(r * size + c) * 2] = (float)(minX + (maxX - minX) * c / (size - 1));
                points[(r * size + c) * 2 + 1] = (float)(minY + (maxY - minY) * r / (size - 1));
            }
        }
        float[] values = model.Predict(new Tensor(points, size * size, 2)).Data;
        float[] test = _test.Features.Data;
        return new DecisionGrid(minX, maxX, minY, maxY, size, values,
            [.. Enumerable.Range(0, _test.Rows).Select(i => test[2 * i])],
            [.. Enumerable.Range(0, _test.Rows).Select(i => test[2 * i + 1])],
            [.. _test.Labels!]);
    }
}
