using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Rendering;
using InitLab.Experiments;
using InitLab.Optimizers;
using InitLab.Persistence;
using InitLab.Training;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab train</c>: one training run from flags, with a progress display, a summary, and optional model and JSON files.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data", "-d") { Description = string.Join(", ", DataSource.Names) + ", a CSV file, or an MNIST folder", DefaultValueFactory = _ => "moons" };
        var label = new Option<string?>("--label") { Description = "CSV label column name (default: the last column)" };
        var rows = new Option<int>("--rows") { Description = "rows of a synthetic data set", DefaultValueFactory = _ => 1000 }.Check(n => Flags.AtLeastProblem(n, 2));
        var noise = new Option<double?>("--noise") { Description = "noise of a synthetic data set (default per set)" }
            .Check(x => x is double v ? Flags.NonNegativeFiniteProblem(v) : null);
        var arms = new Option<int>("--arms") { Description = "arms of the spirals set", DefaultValueFactory = _ => 3 }.Check(n => Flags.AtLeastProblem(n, 2));
        var layers = new Option<string?>("--layers", "-l") { Description = "all widths, input first and output last, e.g. 2,32,32,1 (default: input,32,32,output); with --arch or --model only input,output" };
        var architecture = new ArchitectureFlags();
        var modelSpec = new Option<string?>("--model") { Description = "a model spec (JSON or YAML: a stack of Dense, BatchNormalization, LayerNormalization, Activation, ScalarBias and Residual layers; docs/cli.md) instead of --layers or --arch" };
        var activation = new Option<string>("--activation", "-a") { Description = "hidden activation: linear, relu, leaky_relu(0.2), elu, selu, gelu, sigmoid, tanh, softplus", DefaultValueFactory = _ => "relu" };
        var outputActivation = new Option<string>("--output-activation") { Description = "output activation (auto: sigmoid for 1 output, softmax for classes, linear for regression)", DefaultValueFactory = _ => "auto" };
        var init = new Option<string>("--init", "--kernel-init") { Description = "kernel initializer (see 'initlab inits')", DefaultValueFactory = _ => "glorot_uniform" };
        var initParams = new Option<string[]>("--init-param") { Description = "kernel initializer parameter key=value (repeatable), e.g. gain=2", AllowMultipleArgumentsPerToken = false };
        var biasInit = new Option<string>("--bias-init") { Description = "bias initializer", DefaultValueFactory = _ => "zeros" };
        var loss = new Option<string>("--loss") { Description = "loss (auto: binary/sparse categorical cross-entropy or mse)", DefaultValueFactory = _ => "auto" };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum, nesterov, adagrad, rmsprop, adam", DefaultValueFactory = _ => "adam" };
        var learningRate = new Option<double?>("--lr") { Description = LearningRateHelp() }.Check(x => x is double v ? Flags.PositiveFiniteProblem(v) : null);
        var weightDecay = new Option<double>("--weight-decay") { Description = "decoupled weight decay λ on kernels, w -= lr·λ·w each step (Keras 3 weight_decay, AdamW)", DefaultValueFactory = _ => 0 }.Check(Flags.NonNegativeFiniteProblem);
        var l2 = new Option<double>("--l2") { Description = "coupled L2 λ on kernels: the optimizer sees gradient + λ·w (PyTorch weight_decay)", DefaultValueFactory = _ => 0 }.Check(Flags.NonNegativeFiniteProblem);
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "rows per update (1 = stochastic, the data size = batch gradient descent)", DefaultValueFactory = _ => 32 }.Check(n => Flags.AtLeastProblem(n, 1));
        var epochs = new Option<int>("--epochs", "-e") { Description = "passes over the training data", DefaultValueFactory = _ => 50 }.Check(n => Flags.AtLeastProblem(n, 1));
        var seed = new Option<ulong>("--seed", "-s") { Description = "seed of data, weights and shuffling", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "kernel threads (results are identical for any count)", DefaultValueFactory = _ => Environment.ProcessorCount }.Check(Flags.ThreadsProblem);
        var testFraction = new Option<double>("--test-fraction") { Description = "fraction held out for testing", DefaultValueFactory = _ => 0.2 }.Check(x => Flags.FractionProblem(x, allowZero: false));
        var validationSplit = new Option<double>("--validation-split") { Description = "fraction of the training rows held out for validation", DefaultValueFactory = _ => 0 }.Check(x => Flags.FractionProblem(x, allowZero: true));
        var scaling = new Option<string>("--scale") { Description = "feature scaling fitted on train: standard, minmax, none", DefaultValueFactory = _ => "standard" };
        var patience = new Option<int?>("--early-stopping") { Description = "stop after this many epochs without improvement (restores the best weights)" }.Check(n => n is int p ? Flags.AtLeastProblem(p, 1) : null);
        var save = new Option<string?>("--save") { Description = "write the trained model to this file" };
        var json = new Option<string?>("--json") { Description = "write {config, history, final} as JSON to this file ('-': to standard output, tables to standard error)" };
        var logEvery = new Option<int>("--log-every") { Description = "with output redirected, print the metrics every N epochs (and the last)", DefaultValueFactory = _ => 1 }
            .Check(n => Flags.AtLeastProblem(n, 1));
        var exportNpy = new Option<string?>("--export-npy") { Description = "write every trained weight tensor as .npy into this folder" };
        var task = new Option<string>("--task") { Description = "auto, classification or regression (auto: text or at most 20 distinct whole-number labels are classes; --loss mse/mae means regression)", DefaultValueFactory = _ => "auto" };
        var targetScale = new Option<string>("--target-scale") { Description = "regression targets: standard (standardised on train, reported in their own units) or none", DefaultValueFactory = _ => "standard" };

        var command = new Command("train",
            "Train a Dense network and report loss and accuracy.\n\nExamples:\n" +
            "  initlab train --data moons --layers 2,32,32,1 --activation relu --init he_normal\n" +
            "  initlab train --data spirals --layers 2,64,64,3 --epochs 200 --json spirals.json\n" +
            "  initlab train --data digits --layers 64,128,10 --save digits.model\n" +
            "  initlab train --data data.csv --label species --layers 4,16,3\n" +
            "  initlab train --data digits --arch resmlp --blocks 8 --norm batch --residual-init zero_gamma --init he_normal\n" +
            "  initlab train --data digits --model net.yaml")
        {
            data, label, rows, noise, arms, layers, activation, outputActivation, init, initParams, biasInit, loss, optimizer,
            learningRate, weightDecay, l2, batchSize, epochs, seed, threads, testFraction, validationSplit, scaling, patience, save, json, exportNpy,
            task, targetScale,
        };
        command.Options.Add(logEvery);
        architecture.AddTo(command);
        command.Options.Add(modelSpec);
        var monitor = new Option<string?>("--monitor") { Description = "record per-layer training statistics into this folder: monitor.csv, monitor.json and dashboard.html" };
        var monitorEvery = new Option<int>("--monitor-every") { Description = "with --monitor, record every K steps", DefaultValueFactory = _ => 10 }.Check(n => Flags.AtLeastProblem(n, 1));
        command.Options.Add(monitor);
        command.Options.Add(monitorEvery);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (JsonOutput.IsStdout(parse.GetValue(json)))
            {
                context.ReserveStdoutForJson();
            }
            var recipe = new TrainingRecipe
            {
                Cancellation = context.Cancellation,
                Data = parse.GetValue(data)!,
                DataOptions = new DataOptions
                {
                    Rows = parse.GetValue(rows),
                    Noise = parse.GetValue(noise),
                    Arms = parse.GetValue(arms),
                    LabelColumn = parse.GetValue(label),
                    TestFraction = parse.GetValue(testFraction),
                    Scaling = parse.GetValue(scaling)!,
                    Seed = parse.GetValue(seed),
                },
                Layers = parse.GetValue(layers) is string text ? Flags.ParseWidths("--layers", text) : null,
                Architecture = architecture.Read(parse),
                ModelFile = parse.GetValue(modelSpec),
                Activation = parse.GetValue(activation)!,
                OutputActivation = parse.GetValue(outputActivation)!,
                KernelInitializer = parse.GetValue(init)!,
                KernelInitializerParameters = parse.GetValue(initParams) ?? [],
                BiasInitializer = parse.GetValue(biasInit)!,
                Loss = parse.GetValue(loss)!,
                Optimizer = parse.GetValue(optimizer)!,
                LearningRate = parse.GetValue(learningRate),
                WeightDecay = parse.GetValue(weightDecay),
                L2 = parse.GetValue(l2),
                BatchSize = parse.GetValue(batchSize),
                Epochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                ValidationSplit = parse.GetValue(validationSplit),
                EarlyStoppingPatience = parse.GetValue(patience),
                Task = parse.GetValue(task)!,
                TargetScaling = parse.GetValue(targetScale)!,
            };
            CheckBeforeWork(recipe, parse.GetValue(save), parse.GetValue(json), parse.GetValue(exportNpy));
            OutputPaths.NotStdout(new("--monitor", parse.GetValue(monitor)), "a folder (monitor.csv, monitor.json, dashboard.html)");
            using var monitoring = MonitorRun.Open(parse.GetValue(monitor), parse.GetValue(monitorEvery));
            recipe = monitoring is null ? recipe : recipe with { Callbacks = [monitoring.Monitor] };
            TrainingOutcome outcome = EpochProgress.Run(context, "training", recipe.Epochs, report => recipe.Run(report), parse.GetValue(logEvery));
            Render(context, outcome);
            monitoring?.Finish(context, outcome);
            if (parse.GetValue(save) is string modelPath)
            {
                ModelFile.Save(outcome.Trained, modelPath);
                context.Error.WriteLine($"model saved to {modelPath}");
            }
            if (parse.GetValue(exportNpy) is string npyFolder)
            {
                var files = ModelFile.ExportNpy(outcome.Model, npyFolder);
                context.Error.WriteLine($"{files.Count} weight tensors written as .npy to {npyFolder}");
            }
            if (parse.GetValue(json) is string jsonPath)
            {
                JsonOutput.Write(context, jsonPath, ToJson(outcome));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>--lr's description, with each optimizer's default as the registry reports it (its class's
    /// <c>DefaultLearningRate</c>), grouped by value: "… 0.01 for sgd, momentum, nesterov; 0.001 for adagrad, …".</summary>
    private static string LearningRateHelp() =>
        "learning rate (default: the optimizer's Keras default, " +
        string.Join("; ", OptimizerRegistry.Names.GroupBy(OptimizerRegistry.DefaultLearningRate)
            .Select(group => group.Key.ToString(CultureInfo.InvariantCulture) + " for " + string.Join(", ", group))) + ")";

    // Outputs that would destroy an input or each other, or land in a missing folder, and widths that cannot fit in
    // memory are refused before training, not after it (issue 9).
    private static void CheckBeforeWork(TrainingRecipe recipe, string? save, string? json, string? exportNpy)
    {
        OutputPaths.NotStdout(new("--save", save), "a model file (a zip)");
        OutputPaths.NotStdout(new("--export-npy", exportNpy), "a folder of .npy files");
        string? dataPath = File.Exists(recipe.Data) || Directory.Exists(recipe.Data) ? recipe.Data : null;
        OutputPaths.Check([new("--data", dataPath)], [new("--save", save), new("--json", json), new("--export-npy", exportNpy)]);
        OutputPaths.RequireFileLocation(new("--save", save));
        OutputPaths.RequireFileLocation(new("--json", json), folderIsCreated: true);
        if (recipe.Architecture is { } architecture)
        {
            SizeChecks.Widths("--width", architecture.Widths(recipe.Layers?[0] ?? 1, recipe.Layers?[^1] ?? 1), recipe.BatchSize);
        }
        else if (recipe.ModelFile is string specPath)
        {
            OutputPaths.Check([new("--model", specPath)], [new("--save", save), new("--json", json), new("--export-npy", exportNpy)]);
            SizeChecks.Widths("--model", ModelSpecs.ModelSpecFile.Read(specPath).Widths(recipe.Layers?[0] ?? 1), recipe.BatchSize);
        }
        else if (recipe.Layers is { } widths)
        {
            SizeChecks.Widths("--layers", widths, recipe.BatchSize);
        }
        if (dataPath is null && DataSource.Names.Contains(recipe.Data.Trim().ToLowerInvariant()))
        {
            // --rows sizes the generated sets only. A 2-row probe gives the set's feature count, and tells a generated
            // set (2 rows) from iris and digits (their own rows), before --rows 1000000000 allocates gigabytes.
            Data.Dataset probe = DataSource.LoadAll(recipe.Data, recipe.DataOptions with { Rows = 2 });
            if (probe.Rows == 2)
            {
                SizeChecks.GeneratedRows("--rows", recipe.DataOptions.Rows, probe.Name, probe.FeatureCount);
            }
        }
    }

    private static void Render(CliContext context, TrainingOutcome outcome)
    {
        foreach (string warning in outcome.History.Lsuv?.Warnings ?? [])
        {
            context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }
        if (outcome.TaskReason is string reason)
        {
            context.Console.WriteLine(outcome.Recipe.Task == "auto" && outcome.Recipe.Loss == "auto" ? $"{reason}; use --task to override" : reason);
        }
        context.Console.WriteLine(outcome.Model.ToString());
        ScoreTable.Build([("train", outcome.Train), ("test", outcome.Test)]).Write(context.Console);
        if (EarlyStopLine(outcome.History) is string stopLine)
        {
            context.Console.WriteLine(stopLine);
        }
        context.Console.MarkupLineInterpolated(
            $"{outcome.History.Epochs.Count} epochs, {outcome.History.Steps} steps in {outcome.Seconds:F2} s ({outcome.Recipe.KernelInitializer}, {outcome.Recipe.Optimizer}, seed {outcome.Recipe.Seed})");
    }

    private static Dictionary<string, object?> ToJson(TrainingOutcome outcome)
    {
        TrainingRecipe r = outcome.Recipe;
        var model = outcome.Model;
        return new Dictionary<string, object?>
        {
            ["config"] = new Dictionary<string, object?>
            {
                ["data"] = r.Data,
                ["layers"] = new List<object?> { model.InputDim }.Concat(model.DenseLayers.Select(l => (object?)l.Units)).ToList(),
                ["activation"] = r.Activation,
                ["output_activation"] = model.DenseLayers[^1].Activation.Name,
                ["kernel_initializer"] = model.DenseLayers[0].KernelInitializer.ToString(),
                ["bias_initializer"] = r.BiasInitializer,
                ["loss"] = model.Loss!.Name,
                ["optimizer"] = model.Optimizer!.Name,
                ["learning_rate"] = model.Optimizer.LearningRate,
                ["weight_decay"] = r.WeightDecay,
                ["l2"] = r.L2,
                ["batch_size"] = r.BatchSize,
                ["epochs"] = r.Epochs,
                ["seed"] = r.Seed,
                ["test_fraction"] = r.DataOptions.TestFraction,
                ["validation_split"] = r.ValidationSplit,
                ["scale"] = r.DataOptions.Scaling,
                ["task"] = outcome.Trained.Task == Data.ModelTask.Regression ? "regression" : "classification",
            },
            ["history"] = outcome.History.Epochs.Select(e => new Dictionary<string, object?>
            {
                ["epoch"] = e.Epoch,
                ["loss"] = e.Loss,
                ["accuracy"] = e.Accuracy,
                ["val_loss"] = e.ValidationLoss,
                ["val_accuracy"] = e.ValidationAccuracy,
            }).ToList(),
            ["final"] = Final(outcome),
        };
    }

    private static Dictionary<string, object?> Final(TrainingOutcome outcome)
    {
        var final = new Dictionary<string, object?> { ["seconds"] = outcome.Seconds };
        ScoreTable.AddJson(final, string.Empty, outcome.Train);
        ScoreTable.AddJson(final, "test_", outcome.Test);
        final["stopped_early"] = outcome.History.StoppedEarly;
        final["stopped_epoch"] = outcome.History.StoppedEpoch;
        final["restored_epoch"] = outcome.History.RestoredEpoch;
        return final;
    }

    /// <summary>"stopped at epoch 28: no val_loss improvement for 10 epochs; restored the weights of epoch 17", or null when
    /// early stopping neither stopped nor restored anything.</summary>
    internal static string? EarlyStopLine(History history)
    {
        if (history.EarlyStopping is not EarlyStoppingReport report)
        {
            return null;
        }
        string restored = report.RestoredEpoch is int epoch
            ? string.Create(CultureInfo.InvariantCulture, $"restored the weights of epoch {epoch}")
            : "kept the last epoch's weights";
        if (report.StoppedEpoch is int stopped)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"stopped at epoch {stopped}: no {report.Monitor} improvement for {report.EpochsWithoutImprovement} epochs; {restored}");
        }
        return report.RestoredEpoch is null ? null
            : string.Create(CultureInfo.InvariantCulture, $"early stopping did not fire; {restored} (best {report.Monitor})");
    }

    internal static string Format(double value) => double.IsNaN(value) ? "—" : value.ToString("G4", CultureInfo.InvariantCulture);

    internal static string Percent(double value) => double.IsNaN(value) ? "—" : value.ToString("P2", CultureInfo.InvariantCulture);
}
