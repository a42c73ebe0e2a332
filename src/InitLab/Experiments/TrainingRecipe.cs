using System.Diagnostics;
using System.Globalization;
using InitLab.Activations;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Experiments;

/// <summary>Everything one training run needs, by name — what <c>initlab train</c> parses into.</summary>
public sealed record TrainingRecipe
{
    /// <summary>Data name or path (see <see cref="DataSource"/>).</summary>
    public string Data { get; init; } = "moons";

    /// <summary>Data options.</summary>
    public DataOptions DataOptions { get; init; } = new();

    /// <summary>All widths, input first and output last (e.g. 2,32,32,1); null: input, 32, 32, output.</summary>
    public IReadOnlyList<int>? Layers { get; init; }

    /// <summary>Hidden activation.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Output activation, or "auto" (sigmoid for 1 output, softmax for classes, linear for regression).</summary>
    public string OutputActivation { get; init; } = "auto";

    /// <summary>Kernel initializer name (Keras default glorot_uniform).</summary>
    public string KernelInitializer { get; init; } = "glorot_uniform";

    /// <summary>Kernel initializer parameters ("key=value").</summary>
    public IReadOnlyList<string> KernelInitializerParameters { get; init; } = [];

    /// <summary>Bias initializer name (Keras default zeros).</summary>
    public string BiasInitializer { get; init; } = "zeros";

    /// <summary>Loss name, or "auto".</summary>
    public string Loss { get; init; } = "auto";

    /// <summary>Optimizer name.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning rate (null: the optimizer's Keras default).</summary>
    public double? LearningRate { get; init; }

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Rows per update.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Seed of the weights and of the shuffling.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Kernel threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Fraction of the training rows held out for validation.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Early-stopping patience in epochs (null: off).</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Loads the data and builds the compiled model (weights initialised with <see cref="Seed"/>).</summary>
    /// <returns>The model and the splits.</returns>
    public (Sequential Model, Dataset Train, Dataset Test, Tensors.Tensor TrainTargets, Tensors.Tensor TestTargets) Prepare()
    {
        (Dataset train, Dataset test) = DataSource.Load(Data, DataOptions);
        IReadOnlyList<int> widths = Layers ?? [train.FeatureCount, 32, 32, train.OutputWidth];
        if (widths.Count < 2)
        {
            throw new ArgumentException($"layers: needs at least an input and an output width, got {string.Join(",", widths)}.", nameof(Layers));
        }
        if (widths[0] != train.FeatureCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"layers: the first width is {widths[0]} but the data '{train.Name}' has {train.FeatureCount} features; start the layers with {train.FeatureCount}."), nameof(Layers));
        }
        int outputs = widths[^1];
        if (train.IsClassification && outputs != train.Classes && !(outputs == 1 && train.Classes == 2))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"layers: the last width is {outputs} but the data '{train.Name}' has {train.Classes} classes; end the layers with {(train.Classes == 2 ? "1 or 2" : train.Classes.ToString(CultureInfo.InvariantCulture))}."), nameof(Layers));
        }
        if (!train.IsClassification && outputs != train.OutputWidth)
        {
            throw new ArgumentException($"layers: the last width is {outputs} but the data '{train.Name}' has {train.OutputWidth} target column(s).", nameof(Layers));
        }
        string outputActivation = OutputActivation != "auto" ? OutputActivation
            : !train.IsClassification ? "linear" : outputs == 1 ? "sigmoid" : "softmax";
        Loss loss = Loss != "auto" ? LossRegistry.Resolve(Loss)
            : !train.IsClassification ? new MeanSquaredError()
            : outputs == 1 ? new BinaryCrossEntropy(fromLogits: outputActivation == "linear")
            : new CategoricalCrossEntropy(sparse: true, fromLogits: outputActivation == "linear");
        var hidden = ActivationRegistry.Resolve(Activation);
        var output = ActivationRegistry.Resolve(outputActivation);
        var parameters = InitializerParameters.Parse(KernelInitializerParameters);
        var layers = new List<Dense>();
        for (int i = 1; i < widths.Count; i++)
        {
            if (widths[i] < 1)
            {
                throw new ArgumentException($"layers: every width must be >= 1, got {widths[i]} at position {i}.", nameof(Layers));
            }
            layers.Add(new Dense(widths[i], i == widths.Count - 1 ? output : hidden,
                InitializerRegistry.Resolve(KernelInitializer, parameters), InitializerRegistry.Resolve(BiasInitializer)));
        }
        var model = new Sequential(widths[0], layers, Seed) { Threads = Threads };
        model.Compile(loss, OptimizerRegistry.Resolve(Optimizer, LearningRate, WeightDecay));
        return (model, train, test, train.TargetsFor(loss, outputs), test.TargetsFor(loss, outputs));
    }

    /// <summary>Stops training between two batches with <see cref="OperationCanceledException"/> when cancelled (Ctrl-C).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Prepares, trains and evaluates.</summary>
    /// <param name="onEpoch">Called after every epoch (progress display).</param>
    /// <returns>The outcome.</returns>
    public TrainingOutcome Run(Action<EpochMetrics>? onEpoch = null)
    {
        var (model, train, test, trainTargets, testTargets) = Prepare();
        var callbacks = new List<TrainingCallback>();
        if (onEpoch is not null)
        {
            callbacks.Add(new EpochReporter(onEpoch));
        }
        if (Cancellation.CanBeCanceled)
        {
            callbacks.Add(new CancellationCallback(Cancellation));
        }
        if (EarlyStoppingPatience is int patience)
        {
            callbacks.Add(new EarlyStopping(patience, restoreBestWeights: true));
        }
        var clock = Stopwatch.StartNew();
        History history = model.Fit(train.Features, trainTargets, new FitOptions
        {
            Epochs = Epochs,
            BatchSize = BatchSize,
            ShuffleSeed = Seed,
            ValidationSplit = ValidationSplit,
            Callbacks = callbacks,
        });
        double seconds = clock.Elapsed.TotalSeconds;
        return new TrainingOutcome(this, model, history, model.Evaluate(train.Features, trainTargets), model.Evaluate(test.Features, testTargets), seconds);
    }

    private sealed class EpochReporter(Action<EpochMetrics> onEpoch) : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context) => onEpoch(context.Metrics);
    }
}

/// <summary>The result of <see cref="TrainingRecipe.Run"/>.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Model">The trained model.</param>
/// <param name="History">Per-epoch metrics.</param>
/// <param name="Train">Final loss/accuracy on the training split.</param>
/// <param name="Test">Loss/accuracy on the test split.</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainingOutcome(TrainingRecipe Recipe, Sequential Model, History History, Evaluation Train, Evaluation Test, double Seconds);
