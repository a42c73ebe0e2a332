using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Persistence;

/// <summary>Review D3: a model file reached through a symbolic link loads like the file itself.</summary>
public class ModelFileSymlinkTests
{
    [Fact]
    public void LoadTrainedModel_ThroughSymbolicLink_LoadsTheLinkedModel()
    {
        using var dir = new TempDirectory();
        string path = dir.File("iris.model");
        ModelFile.Save(new TrainingRecipe { Data = "xor", Layers = [2, 4, 1], Epochs = 1 }.Run().Trained, path);
        string link = dir.File("latest.model");
        File.CreateSymbolicLink(link, path);
        Assert.True(new FileInfo(link).Length < new FileInfo(path).Length, "the link's own length must differ for this test to mean anything");

        TrainedModel viaLink = ModelFile.LoadTrainedModel(link);
        TrainedModel direct = ModelFile.LoadTrainedModel(path);

        Assert.Equal(ModelTask.Classification, viaLink.Task);
        Assert.Equal(direct.Network.DenseLayers[0].Kernel.ToArray(), viaLink.Network.DenseLayers[0].Kernel.ToArray());
    }
}
