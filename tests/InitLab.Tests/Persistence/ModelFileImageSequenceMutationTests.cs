using System.Text;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: model.json of convolutional, pooling and recurrent nets with one character changed at random loads
/// or fails with a <see cref="ModelFormatException"/> — never another exception, never a half-built model — and a
/// change that loads gives a network the reader fully checked.</summary>
public class ModelFileImageSequenceMutationTests
{
    public static TheoryData<string> Nets() => new() { "conv", "pool", "recurrent" };

    [Theory]
    [MemberData(nameof(Nets))]
    public void Load_MutatedDescriptions_OnlyModelFormatExceptionEscapes(string which)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model");
        Sequential model = which switch { "conv" => ConvNets.AllOptions(2), "pool" => ImageNets.Pooled(2), _ => RecurrentNets.AllOptions(2) };
        ModelFile.Save(model, good);
        (string json, byte[] weights) = ModelFileEntries.Read(good);
        const string alphabet = "{}[]\":,.-+0123456789eE aztrufnl/";
        var rng = new InitLab.Random.Rng(2026);
        int refused = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var text = new StringBuilder(json);
            text[rng.NextInt(text.Length)] = alphabet[rng.NextInt(alphabet.Length)];
            string path = dir.File($"m{trial}.model");
            ModelFileEntries.Write(path, text.ToString(), weights);
            try
            {
                ModelFile.LoadTrainedModel(path);
            }
            catch (ModelFormatException)
            {
                refused++;
            }
            File.Delete(path);
        }
        // Most single-character changes break the JSON, a name, a size or the checksum's match; some (a digit of a
        // momentum, a metric) are still valid files.
        Assert.InRange(refused, 60, 200);
    }
}
