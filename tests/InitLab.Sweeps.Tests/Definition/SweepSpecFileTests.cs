using InitLab.Sweeps.Definition;

namespace InitLab.Sweeps.Tests.Definition;

public sealed class SweepSpecFileTests
{
    private const string Yaml = """
        # depth against initializer
        seeds: 2
        axes:
          init: [he_normal, glorot_uniform]
          depth: [2, 5]
        fixed:
          data: digits
          epochs: 3
        """;

    private const string Json = """
        { "seeds": [1, 2], "axes": { "init": ["he_normal", "glorot_uniform"], "depth": [2, 5] }, "fixed": { "data": "digits", "epochs": 3 } }
        """;

    [Fact]
    public void Parse_YamlAndJson_SameTrialsAsTheFlagDefinition()
    {
        SweepDefinition fromFlags = SweepDefinition.Create(
        [
            KeyValuePair.Create("init", (IReadOnlyList<string>)["he_normal", "glorot_uniform"]),
            KeyValuePair.Create("depth", (IReadOnlyList<string>)["2", "5"]),
            KeyValuePair.Create("data", (IReadOnlyList<string>)["digits"]),
            KeyValuePair.Create("epochs", (IReadOnlyList<string>)["3"]),
        ], [1, 2]);

        Assert.Equal(fromFlags.Expand(), SweepSpecFile.Parse(Yaml, json: false).Expand());
        Assert.Equal(fromFlags.Expand(), SweepSpecFile.Parse(Json, json: true).Expand());
        Assert.Equal(8, SweepSpecFile.Parse(Yaml, json: false).TrialCount);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_SuggestsNearest()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => SweepSpecFile.Parse("axis:\n  depth: [2, 3]\n", json: false));

        Assert.Contains("Did you mean 'axes'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ListUnderFixed_AsksToMoveItToAxes()
    {
        var error = Assert.Throws<ArgumentException>(() => SweepSpecFile.Parse("fixed:\n  depth: [2, 3]\n", json: false));

        Assert.Contains("move it to axes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenYaml_SaysWhere()
    {
        var error = Assert.Throws<ArgumentException>(() => SweepSpecFile.Parse("axes:\n  depth: [2, 3\nfixed: {}\n", json: false));

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        var located = Assert.Throws<ArgumentException>(() => SweepSpecFile.Parse("axes:\n  depth: [2, 3]\n fixed: x\n", json: false));
        Assert.Contains("not valid YAML at line 3", located.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadSeeds_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SweepSpecFile.Parse("seeds: 0\n", json: false));

        Assert.Contains("seeds: got '0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingOrHugeFile_RefusedNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("initlab-spec-").FullName;
        try
        {
            string huge = Path.Combine(folder, "huge.yaml");
            using (FileStream stream = File.Create(huge))
            {
                stream.SetLength(SweepSpecFile.MaxBytes + 1);
            }

            Assert.Throws<FileNotFoundException>(() => SweepSpecFile.Load(Path.Combine(folder, "none.yaml")));
            var error = Assert.Throws<ArgumentException>(() => SweepSpecFile.Load(huge));
            Assert.Contains("huge.yaml", error.Message, StringComparison.Ordinal);

            string good = Path.Combine(folder, "sweep.yml");
            File.WriteAllText(good, Yaml);
            Assert.Equal(8, SweepSpecFile.Load(good).TrialCount);
            string bad = Path.Combine(folder, "bad.json");
            File.WriteAllText(bad, "{\"fixed\": {\"depht\": 3}}");
            var named = Assert.ThrowsAny<ArgumentException>(() => SweepSpecFile.Load(bad));
            Assert.Contains("bad.json", named.Message, StringComparison.Ordinal);
            Assert.Contains("Did you mean 'depth'?", named.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
