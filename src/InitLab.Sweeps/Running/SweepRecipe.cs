using System.Globalization;
using InitLab.Architectures;
using InitLab.Experiments;
using InitLab.Sweeps.Definition;

namespace InitLab.Sweeps.Running;

/// <summary>Turns a trial's settings into the <see cref="TrainingRecipe"/> that <c>initlab train</c> would build from the
/// same flags, plus the sweep's own settings.</summary>
/// <remarks>
/// Settings a trial does not have keep <c>initlab train</c>'s defaults, with two differences that make the seeds of one
/// configuration comparable: the data and its split use <c>data-seed</c> (default 1) instead of the trial's seed, and
/// <c>depth</c>/<c>width</c> default to 2 hidden layers of 32 units (train's default network). The mean-field settings
/// map to the catalog: <c>sigma-w2</c> = variance_scaling(scale = σ_w², mode = fan_in, distribution = untruncated_normal),
/// i.e. w ~ N(0, σ_w²/fan_in); <c>sigma-b2</c> = random_normal(mean 0, std √σ_b²), or zeros when σ_b² = 0;
/// <c>gain</c> = the kernel initializer's gain parameter. With <c>arch</c>, <c>depth</c>/<c>width</c> and the block settings
/// go to <see cref="ArchitectureRecipe"/> (depth is used by mlp trials, blocks/block-layers/residual-init by resmlp ones);
/// <c>model</c> is a model spec file.
/// </remarks>
public static class SweepRecipe
{
    /// <summary>The recipe of one trial.</summary>
    /// <param name="trial">Settings and seed.</param>
    /// <param name="threads">Kernel threads (results are identical for any count; 1 suits many small trials).</param>
    /// <param name="cancellation">Stops the training between two batches.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentException">An unknown setting or a bad value (checked again: the store may have been
    /// filled by another version).</exception>
    public static TrainingRecipe From(TrialSpec trial, int threads = 1, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var s = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in trial.Settings)
        {
            s[SweepSettings.Known(name)] = SweepSettings.Canonical(name, value);
        }
        SweepSettings.CheckCombination(s.Keys);
        string? Get(string name) => s.TryGetValue(name, out string? v) ? v : null;
        int Int(string name) => int.Parse(s[name], CultureInfo.InvariantCulture);
        double Real(string name) => double.Parse(s[name], CultureInfo.InvariantCulture);

        var defaults = new TrainingRecipe();
        var data = new DataOptions();
        data = data with
        {
            Rows = Get("rows") is null ? data.Rows : Int("rows"),
            Noise = Get("noise") is null ? data.Noise : Real("noise"),
            Arms = Get("arms") is null ? data.Arms : Int("arms"),
            LabelColumn = Get("label") ?? data.LabelColumn,
            TestFraction = Get("test-fraction") is null ? data.TestFraction : Real("test-fraction"),
            Scaling = Get("scale") ?? data.Scaling,
            Seed = Get("data-seed") is string dataSeed ? ulong.Parse(dataSeed, CultureInfo.InvariantCulture) : 1,
        };
        var kernelParameters = new List<string>();
        string kernel = Get("init") ?? defaults.KernelInitializer;
        if (Get("sigma-w2") is string sigmaW2)
        {
            kernel = "variance_scaling";
            kernelParameters.AddRange([$"scale={sigmaW2}", "mode=fan_in", "distribution=untruncated_normal"]);
        }
        if (Get("init-param") is string pairs)
        {
            kernelParameters.AddRange(pairs.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (Get("gain") is string gain)
        {
            kernelParameters.Add($"gain={gain}");
        }
        string bias = Get("bias-init") ?? defaults.BiasInitializer;
        var biasParameters = new List<string>();
        if (Get("sigma-b2") is not null && Real("sigma-b2") > 0)
        {
            bias = "random_normal";
            biasParameters.AddRange(["mean=0", "std=" + Math.Sqrt(Real("sigma-b2")).ToString("R", CultureInfo.InvariantCulture)]);
        }
        else if (Get("sigma-b2") is not null)
        {
            bias = "zeros";
        }
        ArchitectureRecipe? architecture = Get("arch") is string arch ? Architecture(arch) : null;
        IReadOnlyList<int>? hidden = architecture is not null || (Get("depth") is null && Get("width") is null) ? null
            : [.. Enumerable.Repeat(Get("width") is null ? 32 : Int("width"), Get("depth") is null ? 2 : Int("depth"))];
        return defaults with
        {
            Cancellation = cancellation,
            Data = Get("data") ?? defaults.Data,
            DataOptions = data,
            Layers = Get("layers") is string layers ? [.. layers.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))] : null,
            HiddenWidths = hidden,
            Architecture = architecture,
            ModelFile = Get("model"),
            Activation = Get("activation") ?? defaults.Activation,
            OutputActivation = Get("output-activation") ?? defaults.OutputActivation,
            KernelInitializer = kernel,
            KernelInitializerParameters = kernelParameters,
            BiasInitializer = bias,
            BiasInitializerParameters = biasParameters,
            Loss = Get("loss") ?? defaults.Loss,
            Optimizer = Get("optimizer") ?? defaults.Optimizer,
            LearningRate = Get("lr") is null ? null : Real("lr"),
            WeightDecay = Get("weight-decay") is null ? 0 : Real("weight-decay"),
            L2 = Get("l2") is null ? 0 : Real("l2"),
            BatchSize = Get("batch-size") is null ? defaults.BatchSize : Int("batch-size"),
            Epochs = Get("epochs") is null ? defaults.Epochs : Int("epochs"),
            Seed = trial.Seed,
            Threads = threads,
            ValidationSplit = Get("validation-split") is null ? 0 : Real("validation-split"),
            EarlyStoppingPatience = Get("early-stopping") is null ? null : Int("early-stopping"),
            Task = Get("task") ?? defaults.Task,
            TargetScaling = Get("target-scale") ?? defaults.TargetScaling,
        };

        ArchitectureRecipe Architecture(string name)
        {
            var d = new ArchitectureRecipe();
            return new ArchitectureRecipe
            {
                Architecture = ArchitectureNames.ParseArchitecture(name),
                Width = Get("width") is null ? d.Width : Int("width"),
                Depth = Get("depth") is null ? d.Depth : Int("depth"),
                Blocks = Get("blocks") is null ? d.Blocks : Int("blocks"),
                BlockLayers = Get("block-layers") is null ? d.BlockLayers : Int("block-layers"),
                Normalization = Get("norm") is string norm ? ArchitectureNames.ParseNormalization(norm) : d.Normalization,
                ResidualInit = Get("residual-init") is string init ? ResidualInits.Parse(init) : d.ResidualInit,
                Parametrization = Get("parametrization") is string p ? ArchitectureNames.ParseParametrization(p) : d.Parametrization,
                BaseWidth = Get("base-width") is null ? d.BaseWidth : Int("base-width"),
                OutputZeroInit = Get("readout") is string readout ? ArchitectureNames.ParseReadoutZero(readout) : d.OutputZeroInit,
            };
        }
    }
}
