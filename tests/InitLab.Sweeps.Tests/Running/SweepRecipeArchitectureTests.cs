using InitLab.Architectures;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Running;

namespace InitLab.Sweeps.Tests.Running;

public class SweepRecipeArchitectureTests
{
    [Fact]
    public void From_ArchSettings_GoToTheArchitectureNotTheHiddenWidths()
    {
        var trial = new TrialSpec(new Dictionary<string, string>
        {
            ["arch"] = "resmlp", ["width"] = "48", ["blocks"] = "6", ["block-layers"] = "3", ["norm"] = "layer",
            ["residual-init"] = "zero-gamma", ["parametrization"] = "mup", ["base-width"] = "16", ["readout"] = "zero",
        }, 2);

        var recipe = SweepRecipe.From(trial);

        Assert.Null(recipe.HiddenWidths);
        Assert.Equal(new Experiments.ArchitectureRecipe
        {
            Architecture = Architecture.ResMlp, Width = 48, Blocks = 6, BlockLayers = 3, Normalization = Normalization.Layer,
            ResidualInit = ResidualInit.ZeroGamma, Parametrization = Parametrization.MuP, BaseWidth = 16, OutputZeroInit = true,
        }, recipe.Architecture);
    }

    [Fact]
    public void From_DepthAndWidthWithoutArch_StillThePlainStack()
    {
        var recipe = SweepRecipe.From(new TrialSpec(new Dictionary<string, string> { ["depth"] = "3", ["width"] = "8" }, 1));

        Assert.Null(recipe.Architecture);
        Assert.Equal([8, 8, 8], recipe.HiddenWidths);
    }

    [Fact]
    public void Create_ResidualInitsByBlocks_SixTrialsWithCanonicalNames()
    {
        var sweep = SweepDefinition.Create(
        [
            KeyValuePair.Create("arch", (IReadOnlyList<string>)["ResMLP"]),
            KeyValuePair.Create("residual-init", (IReadOnlyList<string>)["none", "Fixup", "SkipInit"]),
            KeyValuePair.Create("blocks", (IReadOnlyList<string>)["4", "8"]),
        ], [1]);

        var trials = sweep.Expand().ToList();

        Assert.Equal(6, trials.Count);
        Assert.Equal(["none", "none", "fixup", "fixup", "skipinit", "skipinit"], trials.Select(t => t["residual-init"]));
        Assert.Equal(["4", "8", "4", "8", "4", "8"], trials.Select(t => t["blocks"]));
        Assert.All(trials, t => Assert.Equal("resmlp", t["arch"]));
    }
}
