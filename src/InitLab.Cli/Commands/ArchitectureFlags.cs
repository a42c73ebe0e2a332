using System.CommandLine;
using InitLab.Architectures;
using InitLab.Cli.Errors;
using InitLab.Common;
using InitLab.Experiments;

namespace InitLab.Cli.Commands;

/// <summary>The network-shape flags of <c>train</c> and <c>diagnose</c>: <c>--arch mlp|resmlp</c> and the settings of
/// <see cref="ArchitectureBuilder"/> (<c>--depth</c>, <c>--width</c>, <c>--blocks</c>, <c>--block-layers</c>, <c>--norm</c>,
/// <c>--residual-init</c>, <c>--parametrization</c>, <c>--base-width</c>, <c>--readout</c>). Every one of them needs <c>--arch</c>: without
/// it the network is the plain stack of <c>--layers</c>, as before; <c>--blocks</c>, <c>--block-layers</c> and
/// <c>--residual-init</c> need <c>--arch resmlp</c>, <c>--depth</c> needs <c>--arch mlp</c>.</summary>
internal sealed class ArchitectureFlags
{
    private readonly Option<string?> _arch = new("--arch") { Description = "network shape: mlp (--depth hidden layers of --width) or resmlp (a Dense stem to --width, --blocks residual blocks, the output layer); default: the plain stack of --layers" };
    private readonly Option<int?> _depth = Whole("--depth", "with --arch mlp: hidden layers (default 2)");
    private readonly Option<int?> _width = Whole("--width", "with --arch: hidden width (default 32)");
    private readonly Option<int?> _blocks = Whole("--blocks", "with --arch resmlp: residual blocks L (default 4)");
    private readonly Option<int?> _blockLayers = Whole("--block-layers", "with --arch resmlp: Dense layers per residual branch m (default 2; fixup needs 2 or more)");
    private readonly Option<string?> _norm = new("--norm") { Description = "with --arch: normalization after each hidden Dense (mlp) or in each branch (resmlp): none, batch, layer (default none)" };
    private readonly Option<string?> _residualInit = new("--residual-init") { Description = "with --arch resmlp: how the branches start: " + string.Join(", ", ResidualInits.All.Select(i => i.Name)) + " (default none; see 'initlab inits')" };
    private readonly Option<string?> _parametrization = new("--parametrization") { Description = "with --arch: sp, ntk or mup (Tensor Programs V): init variances and per-layer learning rates by width (default sp)" };
    private readonly Option<int?> _baseWidth = Whole("--base-width", "with --arch: the width at which ntk and mup equal sp (default: --width)");

    private readonly Option<string?> _readout = new("--readout") { Description = "with --arch: how the output layer starts: fan_in (its initializer, scaled by the parametrization; default) or zero (mup's readout_zero_init)" };

    private IEnumerable<Option> All => [_arch, _depth, _width, _blocks, _blockLayers, _norm, _residualInit, _parametrization, _baseWidth, _readout];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The architecture the flags describe, or null when <c>--arch</c> is not given (then no other of these flags may be).</summary>
    /// <exception cref="CliUsageException">A flag without the <c>--arch</c> it needs, or an unknown name (nearest suggested).</exception>
    public ArchitectureRecipe? Read(ParseResult parse)
    {
        string? archText = parse.GetValue(_arch);
        if (archText is null)
        {
            Option? stray = All.Skip(1).FirstOrDefault(o => parse.GetResult(o) is not null);
            return stray is null ? null
                : throw new CliUsageException($"{stray.Name}: sets a setting of --arch; add --arch mlp or --arch resmlp (without --arch the network is the plain stack of --layers).");
        }
        Architecture arch = Named("--arch", archText, ArchitectureNames.ParseArchitecture);
        Option? misplaced = arch == Architecture.Mlp
            ? new Option[] { _blocks, _blockLayers, _residualInit }.FirstOrDefault(o => parse.GetResult(o) is not null)
            : parse.GetResult(_depth) is not null ? _depth : null;
        if (misplaced is not null)
        {
            throw new CliUsageException(arch == Architecture.Mlp
                ? $"{misplaced.Name}: residual blocks are --arch resmlp's; with --arch mlp set --depth and --width."
                : "--depth: --arch resmlp counts residual blocks (--blocks) and layers per block (--block-layers); --depth is --arch mlp's.");
        }
        var defaults = new ArchitectureRecipe();
        return new ArchitectureRecipe
        {
            Architecture = arch,
            Depth = parse.GetValue(_depth) ?? defaults.Depth,
            Width = parse.GetValue(_width) ?? defaults.Width,
            Blocks = parse.GetValue(_blocks) ?? defaults.Blocks,
            BlockLayers = parse.GetValue(_blockLayers) ?? defaults.BlockLayers,
            Normalization = parse.GetValue(_norm) is string norm ? Named("--norm", norm, ArchitectureNames.ParseNormalization) : defaults.Normalization,
            ResidualInit = parse.GetValue(_residualInit) is string init ? Named("--residual-init", init, ResidualInits.Parse) : defaults.ResidualInit,
            Parametrization = parse.GetValue(_parametrization) is string p ? Named("--parametrization", p, ArchitectureNames.ParseParametrization) : defaults.Parametrization,
            BaseWidth = parse.GetValue(_baseWidth) ?? defaults.BaseWidth,
            OutputZeroInit = parse.GetValue(_readout) is string readout ? Named("--readout", readout, ArchitectureNames.ParseReadoutZero) : defaults.OutputZeroInit,
        };
    }

    private static Option<int?> Whole(string name, string description) =>
        new Option<int?>(name) { Description = description }.Check(n => n is int v ? Flags.AtLeastProblem(v, 1) : null);

    private static T Named<T>(string flag, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (UnknownNameException error)
        {
            throw new CliUsageException($"{flag}: {ExceptionText.OneLine(error)}");
        }
    }
}
