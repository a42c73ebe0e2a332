using InitLab.Layers;
using InitLab.Models;
using InitLab.Training;

namespace InitLab.Tests.Models;

/// <summary>The output activation is the last layer's, seen through layers that pass values on unchanged at inference.</summary>
public sealed class NetworkHeadTests
{
    [Fact]
    public void OutputActivation_LooksThroughATrailingDropout_ButNotThroughANormalizationOrABlock()
    {
        Assert.Equal("softmax", NetworkHead.OutputActivation(new Sequential(4, [new Dense(3, "softmax"), new Dropout(0.5)])).Name);
        Assert.Equal("sigmoid", NetworkHead.OutputActivation(new Sequential(4, [new Dense(3), new ActivationLayer("sigmoid")])).Name);
        Assert.Equal("linear", NetworkHead.OutputActivation(new Sequential(4, [new Dense(3, "softmax"), new LayerNormalization()])).Name);
        Assert.Equal("linear", NetworkHead.OutputActivation(new Sequential(4, [new Residual([new Dense(4, "softmax")])])).Name);
    }
}
