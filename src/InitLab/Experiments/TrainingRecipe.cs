using System.Diagnostics;
using System.Globalization;
using InitLab.Activations;
using InitLab.Architectures;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Models;
using InitLab.ModelSpecs;
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

    /// <summary>Hidden widths between the data's input and output, used when <see cref="Layers"/> is null (null: 32, 32).
    /// Lets a caller that does not know the data's widths yet (a sweep's depth × width) still size the network.</summary>
    public IReadOnlyList<int>? HiddenWidths { get; init; }

    /// <summary>The network built by <see cref="ArchitectureBuilder"/> (residual blocks, normalization, residual init,
    /// parametrization) instead of a plain Dense stack; null: the plain stack of <see cref="Layers"/>/<see cref="HiddenWidths"/>.
    /// With it, <see cref="Layers"/> may give only the input and output widths, and <see cref="HiddenWidths"/> must be null.</summary>
    public ArchitectureRecipe? Architecture { get; init; }

    /// <summary>A model spec file (JSON or YAML, <see cref="ModelSpecFile"/>) whose layers replace the plain stack; null: none.
    /// Excludes <see cref="Architecture"/>; <see cref="Layers"/> may give only the input and output widths. Dense layers without
    /// their own initializers get <see cref="KernelInitializer"/> and <see cref="BiasInitializer"/> (with their parameters).</summary>
    public string? ModelFile { get; init; }

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

    /// <summary>Bias initializer parameters ("key=value"), e.g. <c>std=0.2236</c> with <c>random_normal</c> for the
    /// mean-field biases N(0, σ_b²).</summary>
    public IReadOnlyList<string> BiasInitializerParameters { get; init; } = [];

    /// <summary>Loss name, or "auto".</summary>
    public string Loss { get; init; } = "auto";

    /// <summary>Optimizer name.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning rate (null: the optimizer's Keras default).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Decoupled weight decay λ on kernels (Keras 3 <c>weight_decay</c>, AdamW): w ← w − lr·λ·w each step; 0 is off.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Coupled L2 coefficient λ on kernels: the optimizer sees g + λ·w (PyTorch <c>weight_decay</c>); 0 is off.</summary>
    public double L2 { get; init; }

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

    /// <summary>"auto", "classification" or "regression". Auto lets the data decide (<see cref="TaskRule"/> for a CSV
    /// label), except that an mse or mae <see cref="Loss"/> means regression.</summary>
    public string Task { get; init; } = "auto";

    /// <summary>Regression targets: "standard" (standardised on the training split, predictions mapped back) or "none".</summary>
    public string TargetScaling { get; init; } = "standard";

    /// <summary>Loads the data and builds the compiled model (weights initialised with <see cref="Seed"/>).</summary>
    /// <returns>The model and the splits.</returns>
    public (Sequential Model, Dataset Train, Dataset Test, Tensors.Tensor TrainTargets, Tensors.Tensor TestTargets) Prepare()
    {
        PreparedRun run = PrepareRun();
        return (run.Model, run.Train, run.Test, run.TrainTargets, run.TestTargets);
    }

    /// <summary>The task this recipe asks for, or null to let the data decide.</summary>
    /// <returns>The task or null.</returns>
    /// <exception cref="ArgumentException">An unknown task, or a task that contradicts <see cref="Loss"/>.</exception>
    public ModelTask? RequestedTask()
    {
        bool? regressionLoss = Loss == "auto" ? null : LossRegistry.Resolve(Loss) is MeanSquaredError or MeanAbsoluteError;
        ModelTask? task = Task.Trim().ToLowerInvariant() switch
        {
            "auto" => regressionLoss == true ? ModelTask.Regression : null,
            "classification" => ModelTask.Classification,
            "regression" => ModelTask.Regression,
            _ => throw new ArgumentException($"task: got '{Task}'; valid: auto, classification, regression.", nameof(Task)),
        };
        if (task is ModelTask t && regressionLoss is bool r && r != (t == ModelTask.Regression))
        {
            throw new ArgumentException(
                $"task: {(t == ModelTask.Regression ? "regression" : "classification")} does not fit the loss '{Loss}', which is a {(r ? "regression" : "classification")} loss; " +
                (r ? "use a cross-entropy loss (or leave the loss on auto) to classify." : "use mse or mae (or leave the loss on auto) for regression."), nameof(Task));
        }
        return task;
    }

    /// <summary>Finds a loss that cannot mean anything for this label: a cross-entropy on a regression target,
    /// binary cross-entropy on more than one output (it would score each output as its own 0/1 problem), or a
    /// categorical cross-entropy on a single output (there is no class axis to normalise over).</summary>
    /// <returns>Why the loss does not fit, or null when it does.</returns>
    private string? LossMisfit(Loss loss, Dataset train, int outputs)
    {
        string given = string.Create(CultureInfo.InvariantCulture, $"loss: got '{Loss}'");
        if (!train.IsClassification)
        {
            if (loss is not (MeanSquaredError or MeanAbsoluteError))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{given}, but the data '{train.Name}' is a regression task with {train.OutputWidth} numeric target column(s); losses that fit: mean_squared_error (mse), mean_absolute_error (mae).");
            }
            return null;
        }
        if (loss is BinaryCrossEntropy && outputs != 1)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{given}, which needs 0/1 labels and one sigmoid output, but the data '{train.Name}' has {train.Classes} classes and the last layer {outputs} units; use sparse_categorical_crossentropy (or categorical_crossentropy){(train.Classes == 2 ? ", or end the layers with 1" : string.Empty)}.");
        }
        if (loss is CategoricalCrossEntropy && outputs == 1)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{given}, which needs one output per class, but the data '{train.Name}' has {train.Classes} classes and the last layer 1 unit; end the layers with {train.Classes}, or use binary_crossentropy with 1 output.");
        }
        return null;
    }

    private PreparedRun PrepareRun()
    {
        (Dataset rawTrain, Dataset rawTest) = DataSource.LoadRaw(Data, DataOptions with { Task = RequestedTask() });
        Scaler? scaler = Scaler.Fit(DataOptions.Scaling, rawTrain.Features);
        Dataset train = scaler?.Transform(rawTrain) ?? rawTrain;
        Dataset test = scaler?.Transform(rawTest) ?? rawTest;
        TargetScaler? targetScaler = null;
        if (!train.IsClassification)
        {
            targetScaler = TargetScaling.Trim().ToLowerInvariant() switch
            {
                "standard" => TargetScaler.Fit(rawTrain.RegressionTargets!),
                "none" => null,
                _ => throw new ArgumentException($"targetScaling: got '{TargetScaling}'; valid: standard, none.", nameof(TargetScaling)),
            };
            if (targetScaler is not null)
            {
                train = train.WithTargets(targetScaler.Transform(rawTrain.RegressionTargets!));
                test = test.WithTargets(targetScaler.Transform(rawTest.RegressionTargets!));
            }
        }
        CheckNetworkChoice();
        IReadOnlyList<int> widths = Layers ?? [train.FeatureCount, .. HiddenWidths ?? [32, 32], train.OutputWidth];
        if (widths.Count < 2)
        {
            throw new ArgumentException($"layers: needs at least an input and an output width, got {string.Join(",", widths)}.", nameof(Layers));
        }
        if (widths[0] != train.FeatureCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"layers: the first width is {widths[0]} but the data '{train.Name}' has {train.FeatureCount} features; start the layers with {train.FeatureCount}."), nameof(Layers));
        }
        for (int i = 1; i < widths.Count; i++)
        {
            if (widths[i] < 1)
            {
                throw new ArgumentException($"layers: every width must be >= 1, got {widths[i]} at position {i}.", nameof(Layers));
            }
        }
        ModelSpec? spec = ModelFile is null ? null : ModelSpecFile.Read(ModelFile);
        int outputs = widths[^1];
        if (OutputMisfit(outputs, train) is string layersMisfit)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"layers: the last width is {outputs} but {layersMisfit}; end the layers with {OutputFit(train)}."), nameof(Layers));
        }
        if (spec is not null)
        {
            int specOutputs = spec.OutputWidth(train.FeatureCount);
            string? misfit = OutputMisfit(specOutputs, train)
                ?? (Layers is not null && specOutputs != outputs ? string.Create(CultureInfo.InvariantCulture, $"--layers ends with {outputs}") : null);
            if (misfit is not null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{spec.FileName}: {spec.OutputPath}: the network gives {specOutputs} outputs but {misfit}; give the last Dense {OutputFit(train)} units."), "modelFile");
            }
            outputs = specOutputs;
        }
        string outputActivation = OutputActivation != "auto" ? OutputActivation
            : !train.IsClassification ? "linear" : outputs == 1 ? "sigmoid" : "softmax";
        outputActivation = spec?.OutputActivation(outputActivation) ?? outputActivation;
        Loss loss = Loss != "auto" ? LossRegistry.Resolve(Loss)
            : !train.IsClassification ? new MeanSquaredError()
            : outputs == 1 ? new BinaryCrossEntropy(fromLogits: outputActivation == "linear")
            : new CategoricalCrossEntropy(sparse: true, fromLogits: outputActivation == "linear");
        if (LossMisfit(loss, train, outputs) is string lossMisfit)
        {
            throw new ArgumentException(lossMisfit, nameof(Loss));
        }
        ArchitectureOptions? architecture = Architecture?.ToOptions(train.FeatureCount, outputs, Activation, KernelInitializer, BiasInitializer, outputActivation);
        IReadOnlyList<Layer> layers = spec is not null ? spec.Layers(train.FeatureCount, new ModelSpecDefaults(
                () => InitializerRegistry.Resolve(KernelInitializer, InitializerParameters.Parse(KernelInitializerParameters)),
                () => InitializerRegistry.Resolve(BiasInitializer, InitializerParameters.Parse(BiasInitializerParameters)), outputActivation))
            : architecture is not null ? ArchitectureBuilder.Layers(architecture)
            : PlainStack(widths, outputActivation);
        var model = new Sequential(train.FeatureCount, layers, Seed) { Threads = Threads };
        model.Compile(loss, OptimizerRegistry.Resolve(Optimizer, LearningRate, WeightDecay, L2));
        if (architecture is not null)
        {
            // ntk/μP: per-parameter learning-rate multipliers for the optimizer's family (all 1 under sp or at the base width).
            Parametrizations.ApplyLearningRates(model, architecture, model.Optimizer!);
        }
        return new PreparedRun(model, rawTrain, rawTest, train, test, train.TargetsFor(loss, outputs), test.TargetsFor(loss, outputs), scaler, targetScaler);
    }

    /// <summary>Refuses network settings that contradict each other: an architecture and a model file, hidden widths in
    /// <see cref="Layers"/> beside either (they build their own hidden layers), or initializer parameters with an
    /// architecture (its builder takes initializers by name).</summary>
    private void CheckNetworkChoice()
    {
        if (Architecture is null && ModelFile is null)
        {
            return;
        }
        string by = ModelFile is null ? "the architecture (--arch)" : "the model file (--model)";
        if (Architecture is not null && ModelFile is not null)
        {
            throw new ArgumentException("modelFile: a model file gives every layer; use it or an architecture (--arch), not both.", nameof(ModelFile));
        }
        if (Layers is { Count: > 2 })
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"layers: {string.Join(",", Layers)} lists hidden widths, but {by} builds the hidden layers; give only the input and output widths ({Layers[0]},{Layers[^1]}) or leave the layers out."), nameof(Layers));
        }
        if (HiddenWidths is not null)
        {
            throw new ArgumentException($"hiddenWidths: {by} builds the hidden layers; leave the hidden widths out.", nameof(HiddenWidths));
        }
        if (Architecture is not null && KernelInitializerParameters.Count > 0)
        {
            throw new ArgumentException($"kernelInitializerParameters: the architecture builder takes the kernel initializer by name only; got parameters {string.Join(";", KernelInitializerParameters)}. Leave them out, or write the layers in a model file (--model).", nameof(KernelInitializerParameters));
        }
        if (Architecture is not null && BiasInitializerParameters.Count > 0)
        {
            throw new ArgumentException($"biasInitializerParameters: the architecture builder takes the bias initializer by name only; got parameters {string.Join(";", BiasInitializerParameters)}. Leave them out, or write the layers in a model file (--model).", nameof(BiasInitializerParameters));
        }
    }

    /// <summary>Why <paramref name="outputs"/> units cannot serve the data ("the data 'digits' has 10 classes"), or null.</summary>
    private static string? OutputMisfit(int outputs, Dataset train) =>
        train.IsClassification && outputs != train.Classes && !(outputs == 1 && train.Classes == 2)
            ? string.Create(CultureInfo.InvariantCulture, $"the data '{train.Name}' has {train.Classes} classes")
            : !train.IsClassification && outputs != train.OutputWidth
                ? string.Create(CultureInfo.InvariantCulture, $"the data '{train.Name}' has {train.OutputWidth} target column(s)")
                : null;

    /// <summary>The output widths the data accepts: "1 or 2", "10", or the target columns.</summary>
    private static string OutputFit(Dataset train) =>
        !train.IsClassification ? train.OutputWidth.ToString(CultureInfo.InvariantCulture)
            : train.Classes == 2 ? "1 or 2" : train.Classes.ToString(CultureInfo.InvariantCulture);

    /// <summary>The plain Dense stack of <paramref name="widths"/> (the network before architectures existed).</summary>
    private List<Layer> PlainStack(IReadOnlyList<int> widths, string outputActivation)
    {
        var hidden = ActivationRegistry.Resolve(Activation);
        var output = ActivationRegistry.Resolve(outputActivation);
        var parameters = InitializerParameters.Parse(KernelInitializerParameters);
        var layers = new List<Layer>();
        for (int i = 1; i < widths.Count; i++)
        {
            layers.Add(new Dense(widths[i], i == widths.Count - 1 ? output : hidden,
                InitializerRegistry.Resolve(KernelInitializer, parameters),
                InitializerRegistry.Resolve(BiasInitializer, InitializerParameters.Parse(BiasInitializerParameters))));
        }
        return layers;
    }

    /// <summary>Stops training between two batches with <see cref="OperationCanceledException"/> when cancelled (Ctrl-C).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Extra callbacks (e.g. a <see cref="Diagnostics.TrainingMonitor"/>), called after the built-in ones.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = [];

    /// <summary>Prepares, trains and evaluates.</summary>
    /// <param name="onEpoch">Called after every epoch (progress display).</param>
    /// <returns>The outcome.</returns>
    public TrainingOutcome Run(Action<EpochMetrics>? onEpoch = null)
    {
        PreparedRun run = PrepareRun();
        (Sequential model, Dataset train, Tensors.Tensor trainTargets) = (run.Model, run.Train, run.TrainTargets);
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
        callbacks.AddRange(Callbacks);
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
        // The reported scores come from the saved pipeline on the raw splits, so a reloaded model reproduces them.
        var trained = new TrainedModel(model, run.RawTrain.Task, run.RawTrain.FeatureNames, run.Scaler, run.RawTrain.ClassNames, run.TargetScaler, run.RawTrain.LabelName);
        ModelEvaluation trainScores = trained.Evaluate(run.RawTrain);
        ModelEvaluation testScores = trained.Evaluate(run.RawTest);
        trained = new TrainedModel(model, trained.Task, trained.FeatureNames, run.Scaler, trained.ClassLabels, run.TargetScaler, trained.LabelName)
        {
            Provenance = new ModelProvenance { Training = Settings(model), TrainMetrics = trainScores, TestMetrics = testScores },
        };
        return new TrainingOutcome(this, trained, history, trainScores, testScores, seconds) { TaskReason = run.RawTrain.TaskReason };
    }

    /// <summary>The settings a saved model records, by name, as invariant text (see <see cref="DataFromSettings"/>).</summary>
    private SortedDictionary<string, string> Settings(Sequential model)
    {
        string Text(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "default";
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = Data,
            ["label"] = DataOptions.LabelColumn ?? string.Empty,
            ["rows"] = DataOptions.Rows.ToString(CultureInfo.InvariantCulture),
            ["noise"] = Text(DataOptions.Noise),
            ["arms"] = DataOptions.Arms.ToString(CultureInfo.InvariantCulture),
            ["test_fraction"] = Text(DataOptions.TestFraction),
            ["data_seed"] = DataOptions.Seed.ToString(CultureInfo.InvariantCulture),
            ["scale"] = DataOptions.Scaling,
            ["task"] = model.Loss is CategoricalCrossEntropy or BinaryCrossEntropy ? "classification" : "regression",
            ["target_scale"] = TargetScaling,
            ["layers"] = string.Join(",", new[] { model.InputDim }.Concat(model.DenseLayers.Select(l => l.Units))),
            ["activation"] = Activation,
            ["output_activation"] = model.DenseLayers[^1].Activation.Name,
            ["kernel_initializer"] = model.DenseLayers[0].KernelInitializer.ToString() ?? KernelInitializer,
            ["bias_initializer"] = BiasInitializer,
            ["loss"] = model.Loss!.Name,
            ["optimizer"] = model.Optimizer!.Name,
            ["learning_rate"] = Text(model.Optimizer.LearningRate),
            ["weight_decay"] = Text(WeightDecay),
            ["batch_size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["validation_split"] = Text(ValidationSplit),
            ["early_stopping"] = EarlyStoppingPatience?.ToString(CultureInfo.InvariantCulture) ?? "off",
        };
        foreach ((string key, string value) in NetworkSettings())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>How the network was made, when not as a plain stack: the architecture's settings (<c>arch</c>, <c>width</c>,
    /// <c>depth</c> or <c>blocks</c>/<c>block_layers</c>, <c>norm</c>, <c>residual_init</c>, <c>parametrization</c>,
    /// <c>base_width</c>) or the model file's name (<c>model_spec</c>); empty for a plain stack.</summary>
    /// <returns>Key and invariant text.</returns>
    public IReadOnlyList<KeyValuePair<string, string>> NetworkSettings()
    {
        string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        if (ModelFile is string file)
        {
            return [new("model_spec", Path.GetFileName(file))];
        }
        if (Architecture is not ArchitectureRecipe a)
        {
            return [];
        }
        var list = new List<KeyValuePair<string, string>> { new("arch", ArchitectureNames.Name(a.Architecture)), new("width", Int(a.Width)) };
        if (a.Architecture == Architectures.Architecture.Mlp)
        {
            list.Add(new("depth", Int(a.Depth)));
        }
        else
        {
            list.Add(new("blocks", Int(a.Blocks)));
            list.Add(new("block_layers", Int(a.BlockLayers)));
            list.Add(new("residual_init", ResidualInits.Name(a.ResidualInit)));
        }
        list.Add(new("norm", ArchitectureNames.Name(a.Normalization)));
        list.Add(new("parametrization", ArchitectureNames.Name(a.Parametrization)));
        list.Add(new("base_width", Int(a.BaseWidth == 0 ? a.Width : a.BaseWidth)));
        list.Add(new("readout", ArchitectureNames.ReadoutName(a.OutputZeroInit)));
        return list;
    }

    /// <summary>The data name and options a saved model was trained on, read back from its
    /// <see cref="ModelProvenance.Training"/> settings (so its train/test split can be rebuilt row for row).</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The data name and options, or null when the settings do not name the data.</returns>
    public static (string Data, DataOptions Options)? DataFromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue("data", out string? data))
        {
            return null;
        }
        string? Get(string key) => settings.TryGetValue(key, out string? v) ? v : null;
        var defaults = new DataOptions();
        double? Number(string key) => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
        return (data, new DataOptions
        {
            LabelColumn = string.IsNullOrEmpty(Get("label")) ? null : Get("label"),
            Rows = int.TryParse(Get("rows"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int rows) ? rows : defaults.Rows,
            Noise = Number("noise"),
            Arms = int.TryParse(Get("arms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int arms) ? arms : defaults.Arms,
            TestFraction = Number("test_fraction") ?? defaults.TestFraction,
            Seed = ulong.TryParse(Get("data_seed"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed : defaults.Seed,
            Scaling = Get("scale") ?? defaults.Scaling,
            Task = Get("task") switch { "classification" => ModelTask.Classification, "regression" => ModelTask.Regression, _ => null },
        });
    }

    private sealed record PreparedRun(Sequential Model, Dataset RawTrain, Dataset RawTest, Dataset Train, Dataset Test,
        Tensors.Tensor TrainTargets, Tensors.Tensor TestTargets, Scaler? Scaler, TargetScaler? TargetScaler);

    private sealed class EpochReporter(Action<EpochMetrics> onEpoch) : TrainingCallback
    {
        public override void OnEpochEnd(EpochContext context) => onEpoch(context.Metrics);
    }
}

/// <summary>The result of <see cref="TrainingRecipe.Run"/>.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="Trained">The trained network with its preprocessing and provenance (what <c>--save</c> writes).</param>
/// <param name="History">Per-epoch metrics.</param>
/// <param name="Train">Final scores on the raw training split, through <paramref name="Trained"/>.</param>
/// <param name="Test">Final scores on the raw test split, through <paramref name="Trained"/>.</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainingOutcome(TrainingRecipe Recipe, TrainedModel Trained, History History, ModelEvaluation Train, ModelEvaluation Test, double Seconds)
{
    /// <summary>The trained network.</summary>
    public Sequential Model => Trained.Network;

    /// <summary>Why the data was read as classification or regression (null when the data set fixes it).</summary>
    public string? TaskReason { get; init; }
}
