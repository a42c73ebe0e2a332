using System.Globalization;
using InitLab.Activations;
using InitLab.Architectures;
using InitLab.Common;
using InitLab.Experiments;
using InitLab.Initializers;
using InitLab.Losses;
using InitLab.Optimizers;

namespace InitLab.Sweeps.Definition;

/// <summary>The settings a trial may have: the <c>initlab train</c> options (flag names without the dashes) plus the
/// sweep's own <c>depth</c>, <c>width</c>, <c>sigma-w2</c>, <c>sigma-b2</c>, <c>gain</c> and <c>data-seed</c>.</summary>
/// <remarks>Values are checked and written in one canonical form (numbers in invariant round-trip form, initializer
/// aliases as their canonical name), so "0.001" and "1e-3" are the same trial and share a config hash.</remarks>
public static class SweepSettings
{
    private static readonly Dictionary<string, (string Help, Func<string, string> Canonical)> Catalog = new(StringComparer.Ordinal)
    {
        ["data"] = ("built-in data set (" + string.Join(", ", DataSource.Names) + ") or a CSV file / MNIST folder", Data),
        ["label"] = ("CSV label column", Trimmed),
        ["rows"] = ("rows of a synthetic data set", v => WholeNumber("rows", v, 2)),
        ["noise"] = ("noise of a synthetic data set", v => Number("noise", v, 0, inclusive: true)),
        ["arms"] = ("arms of the spirals set", v => WholeNumber("arms", v, 2)),
        ["test-fraction"] = ("fraction held out for testing", v => Fraction("test-fraction", v, allowZero: false)),
        ["data-seed"] = ("seed of the data and its train/test split (default 1: every trial sees the same split)", DataSeed),
        ["scale"] = ("feature scaling: standard, minmax, none", v => Choice("scale", v, ["standard", "minmax", "none"])),
        ["task"] = ("auto, classification or regression", v => Choice("task", v, ["auto", "classification", "regression"])),
        ["target-scale"] = ("regression targets: standard or none", v => Choice("target-scale", v, ["standard", "none"])),
        ["layers"] = ("all widths, input first and output last (e.g. 64,32,10); excludes depth and width", Layers),
        ["depth"] = ("hidden layers (default 2)", v => WholeNumber("depth", v, 1)),
        ["width"] = ("units per hidden layer (default 32)", v => WholeNumber("width", v, 1)),
        ["arch"] = ("network shape: mlp (depth × width) or resmlp (a stem, blocks residual blocks); default: the plain stack of depth/width or layers", v => ArchitectureNames.Name(ArchitectureNames.ParseArchitecture(v))),
        ["blocks"] = ("with arch resmlp: residual blocks (default 4)", v => WholeNumber("blocks", v, 1)),
        ["block-layers"] = ("with arch resmlp: Dense layers per residual branch (default 2)", v => WholeNumber("block-layers", v, 1)),
        ["norm"] = ("with arch: normalization none, batch or layer", v => ArchitectureNames.Name(ArchitectureNames.ParseNormalization(v))),
        ["residual-init"] = ("with arch resmlp: " + string.Join(", ", ResidualInits.All.Select(i => i.Name)), v => ResidualInits.Name(ResidualInits.Parse(v))),
        ["parametrization"] = ("with arch: sp, ntk or mup", v => ArchitectureNames.Name(ArchitectureNames.ParseParametrization(v))),
        ["base-width"] = ("with arch: the width at which ntk and mup equal sp (default: width)", v => WholeNumber("base-width", v, 1)),
        ["readout"] = ("with arch: fan_in or zero (the output layer starts at 0, mup's readout_zero_init)", v => ArchitectureNames.ReadoutName(ArchitectureNames.ParseReadoutZero(v))),
        ["model"] = ("a model spec file (JSON/YAML layers; docs/cli.md); excludes layers, depth, width and arch", ModelSpec),
        ["activation"] = ("hidden activation", v => Activation("activation", v)),
        ["output-activation"] = ("output activation (auto)", v => v.Trim() == "auto" ? "auto" : Activation("output-activation", v)),
        ["init"] = ("kernel initializer (any registered name or alias, e.g. he_normal); excludes sigma-w2", v => InitializerRegistry.Find(v).Name),
        ["init-param"] = ("kernel initializer parameters key=value, separated by ';'", InitParameters),
        ["bias-init"] = ("bias initializer; excludes sigma-b2", v => InitializerRegistry.Find(v).Name),
        ["sigma-w2"] = ("mean-field weight variance: w ~ N(0, sigma-w2 / fan_in) (variance_scaling, untruncated normal); excludes init", v => Number("sigma-w2", v, 0, inclusive: false)),
        ["sigma-b2"] = ("mean-field bias variance: b ~ N(0, sigma-b2) (0: zeros); excludes bias-init", v => Number("sigma-b2", v, 0, inclusive: true)),
        ["gain"] = ("the kernel initializer's gain parameter (glorot_*, orthogonal, identity, …)", v => Number("gain", v, 0, inclusive: false)),
        ["loss"] = ("loss (auto)", v => v.Trim() == "auto" ? "auto" : Resolved(v, LossRegistry.Resolve)),
        ["optimizer"] = ("sgd, momentum, nesterov, adagrad, rmsprop, adam", v => Resolved(v, n => OptimizerRegistry.Resolve(n))),
        ["lr"] = ("learning rate", v => Number("lr", v, 0, inclusive: false)),
        ["weight-decay"] = ("decoupled weight decay", v => Number("weight-decay", v, 0, inclusive: true)),
        ["l2"] = ("coupled L2", v => Number("l2", v, 0, inclusive: true)),
        ["batch-size"] = ("rows per update", v => WholeNumber("batch-size", v, 1)),
        ["epochs"] = ("passes over the training data", v => WholeNumber("epochs", v, 1)),
        ["validation-split"] = ("fraction of the training rows held out for validation", v => Fraction("validation-split", v, allowZero: true)),
        ["early-stopping"] = ("patience in epochs (restores the best weights)", v => WholeNumber("early-stopping", v, 1)),
    };

    /// <summary>Pairs of settings that cannot both be given, with the reason.</summary>
    private static readonly (string A, string B, string Why)[] Exclusive =
    [
        ("layers", "depth", "layers gives every width; use depth and width, or layers"),
        ("layers", "width", "layers gives every width; use depth and width, or layers"),
        ("sigma-w2", "init", "sigma-w2 sets the initializer (N(0, sigma-w2/fan_in))"),
        ("sigma-b2", "bias-init", "sigma-b2 sets the bias initializer (N(0, sigma-b2))"),
        ("sigma-w2", "gain", "sigma-w2 is the scale already; use one of them"),
        ("layers", "arch", "arch builds the hidden layers from depth/width or blocks; use arch, or layers"),
        ("model", "layers", "the model file lists every layer"),
        ("model", "arch", "the model file lists every layer"),
        ("model", "depth", "the model file lists every layer"),
        ("model", "width", "the model file lists every layer"),
        ("arch", "sigma-w2", "arch takes the kernel initializer by name (no parameters); use init, or a model file"),
        ("arch", "sigma-b2", "arch takes the bias initializer by name (no parameters); use bias-init, or a model file"),
        ("arch", "gain", "arch takes the kernel initializer by name (no parameters); use init, or a model file"),
        ("arch", "init-param", "arch takes the kernel initializer by name (no parameters); use init, or a model file"),
    ];

    /// <summary>Settings that mean something only beside another (the architecture's), with the reason.</summary>
    private static readonly (string Setting, string Needs, string Why)[] Requires =
    [
        ("blocks", "arch", "residual blocks are arch resmlp's"),
        ("block-layers", "arch", "residual blocks are arch resmlp's"),
        ("residual-init", "arch", "residual inits need arch resmlp's blocks"),
        ("norm", "arch", "the architecture builder places the normalization layers"),
        ("parametrization", "arch", "the architecture builder applies the parametrization"),
        ("base-width", "arch", "the architecture builder applies the parametrization"),
        ("readout", "arch", "the architecture builder makes the output layer"),
    ];

    /// <summary>Every setting name, in the catalog's order (the order flags become axes).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Catalog.Keys];

    /// <summary>What a setting means, for help text.</summary>
    /// <param name="name">A setting name.</param>
    /// <returns>One line.</returns>
    public static string Help(string name) => Catalog[Known(name)].Help;

    /// <summary>The setting's name as the catalog spells it: accepts "--lr", "LR", "batch_size".</summary>
    /// <param name="name">A name as typed.</param>
    /// <returns>The catalog name.</returns>
    /// <exception cref="UnknownNameException">Not a setting; the message suggests the nearest.</exception>
    public static string Known(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().TrimStart('-').ToLowerInvariant().Replace('_', '-');
        return Catalog.ContainsKey(key) ? key : throw new UnknownNameException("setting", name, Names, nameof(name));
    }

    /// <summary>Checks a value and returns its canonical text.</summary>
    /// <param name="name">The setting (any accepted spelling).</param>
    /// <param name="value">The value as typed.</param>
    /// <returns>The canonical value.</returns>
    /// <exception cref="ArgumentException">An unknown setting or a bad value; the message names both and says what is valid.</exception>
    public static string Canonical(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string key = Known(name);
        try
        {
            return Catalog[key].Canonical(value);
        }
        catch (ArgumentException error) when (!error.Message.StartsWith(key + ":", StringComparison.Ordinal))
        {
            string message = error.ParamName is null ? error.Message : error.Message.Replace($" (Parameter '{error.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new ArgumentException($"{key}: {message}", key, error);
        }
    }

    /// <summary>Throws when two settings that exclude each other are both present.</summary>
    /// <param name="names">The setting names a sweep uses (axes and fixed).</param>
    /// <exception cref="ArgumentException">Which two, and why.</exception>
    public static void CheckCombination(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach ((string a, string b, string why) in Exclusive)
        {
            if (names.Contains(a) && names.Contains(b))
            {
                throw new ArgumentException($"{a} and {b} cannot both be set: {why}.", a);
            }
        }
        foreach ((string setting, string needs, string why) in Requires)
        {
            if (names.Contains(setting) && !names.Contains(needs))
            {
                throw new ArgumentException($"{setting} needs {needs} ({why}); add arch: resmlp (or mlp).", setting);
            }
        }
    }

    private static ArgumentException Bad(string setting, string message) => new(message, setting);

    private static string Trimmed(string value) => value.Trim();

    private static string Data(string value)
    {
        string text = value.Trim();
        string key = text.ToLowerInvariant();
        if (DataSource.Names.Contains(key))
        {
            return key;
        }
        if (File.Exists(text) || Directory.Exists(text))
        {
            return text;
        }
        throw new UnknownNameException($"got '{text}', which is neither a built-in data set nor an existing file or folder." +
            (NameLookup.Nearest(text, DataSource.Names) is string near ? $" Did you mean '{near}'?" : string.Empty) +
            $" Built-in: {string.Join(", ", DataSource.Names)}.");
    }

    private static string DataSeed(string value) =>
        ulong.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed.ToString(CultureInfo.InvariantCulture)
            : throw Bad("data-seed", $"data-seed: got '{value}'; it must be a whole number >= 0.");

    private static string WholeNumber(string name, string value, int minimum) =>
        int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= minimum
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name}: got '{value}'; it must be a whole number >= {minimum}."), name);

    private static string Number(string name, string value, double bound, bool inclusive)
    {
        bool ok = double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            && (inclusive ? x >= bound : x > bound);
        return ok
            ? x.ToString("R", CultureInfo.InvariantCulture)
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: got '{value}'; it must be a finite number {(inclusive ? ">=" : ">")} {bound}."), name);
    }

    private static string Fraction(string name, string value, bool allowZero)
    {
        bool ok = double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && (allowZero ? x >= 0 : x > 0) && x < 1;
        return ok
            ? x.ToString("R", CultureInfo.InvariantCulture)
            : throw new ArgumentException($"{name}: got '{value}'; it must be in {(allowZero ? "[0, 1)" : "(0, 1)")}.", name);
    }

    private static string Choice(string name, string value, string[] valid)
    {
        string key = value.Trim().ToLowerInvariant();
        return valid.Contains(key) ? key : throw new UnknownNameException($"{name} value", value, valid, name);
    }

    private static string Layers(string value)
    {
        var widths = new List<string>();
        foreach (string part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            widths.Add(WholeNumber("layers", part, 1));
        }
        return widths.Count >= 2 ? string.Join(",", widths)
            : throw Bad("layers", $"layers: got '{value}'; it needs at least an input and an output width (e.g. 64,32,10).");
    }

    /// <summary>A model spec path, read and checked now so that a bad file fails the definition, not every trial.</summary>
    private static string ModelSpec(string value)
    {
        string path = value.Trim();
        if (!File.Exists(path))
        {
            throw Bad("model", $"model: '{path}' is not a file; give a model spec (JSON or YAML layers).");
        }
        ModelSpecs.ModelSpecFile.Read(path);
        return path;
    }

    private static string Activation(string name, string value)
    {
        ActivationRegistry.Resolve(value);
        return value.Trim().ToLowerInvariant();
    }

    private static string InitParameters(string value)
    {
        string[] pairs = value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        InitializerParameters.Parse(pairs);
        return string.Join(";", pairs);
    }

    private static string Resolved<T>(string value, Func<string, T> resolve)
    {
        resolve(value);
        return NameLookup.Normalize(value);
    }
}
