using System.IO.Compression;
using System.Text.Json.Nodes;
using InitLab.Experiments;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Persistence;

/// <summary>Review D6: a model.json whose task contradicts its network is refused at load, naming the field, in the
/// file's terms (no .NET "(Parameter 'x')" tail).</summary>
public class ModelTaskContradictionTests
{
    private static string SavedModel(TempDirectory dir, string data, int[] layers)
    {
        string path = dir.File("m.model");
        ModelFile.Save(new TrainingRecipe { Data = data, Layers = layers, Epochs = 1 }.Run().Trained, path);
        return path;
    }

    private static void Edit(string path, Action<JsonNode> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        ZipArchiveEntry entry = zip.GetEntry("model.json")!;
        JsonNode root;
        using (var reader = new StreamReader(entry.Open()))
        {
            root = JsonNode.Parse(reader.ReadToEnd())!;
        }
        entry.Delete();
        edit(root);
        using var writer = new StreamWriter(zip.CreateEntry("model.json").Open());
        writer.Write(root.ToJsonString());
    }

    private static string Refusal(string path)
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        Assert.DoesNotContain("(Parameter", ex.Message, StringComparison.Ordinal);
        return ex.Message;
    }

    [Fact]
    public void Load_SoftmaxClassifierSayingRegression_RefusedNamingTaskAndHead()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir, "iris", [4, 5, 3]);
        Edit(path, root => root["task"] = "regression");
        string message = Refusal(path);
        Assert.Contains("'task' says regression", message, StringComparison.Ordinal);
        Assert.Contains("3 softmax units", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegressionWithClassLabels_Refused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("price.csv");
        File.WriteAllLines(path, ["x,y", .. Enumerable.Range(0, 30).Select(i => $"{i},{i}.5")]);
        string model = dir.File("r.model");
        ModelFile.Save(new TrainingRecipe { Data = path, Layers = [1, 4, 1], Epochs = 1 }.Run().Trained, model);
        Edit(model, root => root["label"]!["classes"] = new JsonArray("a", "b"));
        Assert.Contains("'task' says regression", Refusal(model), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegressionSayingClassification_RefusedNamingTheRegressionLoss()
    {
        using var dir = new TempDirectory();
        string path = dir.File("price.csv");
        File.WriteAllLines(path, ["x,y", .. Enumerable.Range(0, 30).Select(i => $"{i},{i}.5")]);
        string model = dir.File("r.model");
        ModelFile.Save(new TrainingRecipe { Data = path, Layers = [1, 4, 1], Epochs = 1 }.Run().Trained, model);
        Edit(model, root =>
        {
            root["task"] = "classification";
            root["label"]!["classes"] = new JsonArray("a", "b");
        });
        string message = Refusal(model);
        Assert.Contains("'task' says classification", message, StringComparison.Ordinal);
        Assert.Contains("mean_squared_error", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iris", new[] { 4, 5, 3 }, 2)]
    [InlineData("iris", new[] { 4, 5, 3 }, 4)]
    [InlineData("moons", new[] { 2, 5, 1 }, 3)]
    public void Load_ClassCountNotMatchingOutputs_RefusedNamingLabelClasses(string data, int[] layers, int classes)
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir, data, layers);
        Edit(path, root => root["label"]!["classes"] = new JsonArray([.. Enumerable.Range(0, classes).Select(i => (JsonNode?)JsonValue.Create($"c{i}"))]));
        string message = Refusal(path);
        Assert.Contains("'label.classes'", message, StringComparison.Ordinal);
        Assert.Contains($"lists {classes} classes", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateClassLabels_NamesLabelClassesWithoutParameterTail()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir, "iris", [4, 5, 3]);
        Edit(path, root => root["label"]!["classes"] = new JsonArray("a", "a", "b"));
        Assert.Contains("'label.classes' is not valid: class labels must be distinct", Refusal(path), StringComparison.Ordinal);
    }
}
