using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace InitLab.Cli.Tests.Commands.Sweeps;

/// <summary>deploy/k8s/sweep-job.yaml: an Indexed Job whose pods run real <c>initlab sweep worker</c> flags, with the
/// PostgreSQL password from a Secret. No cluster here, so the structure is checked against the Job API's field names.</summary>
public sealed partial class KubernetesJobTemplateTests
{
    private static YamlMappingNode Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "InitLab.slnx")))
        {
            dir = dir.Parent;
        }
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(dir.FullName, "deploy", "k8s", "sweep-job.yaml"));
        yaml.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(yaml.Documents).RootNode);
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            node = Assert.IsType<YamlMappingNode>(node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    private static string Text(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(At(node, path)).Value!;

    [Fact]
    public void Template_IsAnIndexedJobWithOnePodPerCompletion()
    {
        YamlMappingNode job = Load();

        Assert.Equal("batch/v1", Text(job, "apiVersion"));
        Assert.Equal("Job", Text(job, "kind"));
        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        Assert.Equal(Text(job, "spec", "completions"), Text(job, "spec", "parallelism"));
        Assert.Contains(Text(job, "spec", "template", "spec", "restartPolicy"), new[] { "Never", "OnFailure" });
    }

    [Fact]
    public void Worker_RunsRealWorkerFlagsAndEveryReferencedVariableIsDefined()
    {
        YamlMappingNode job = Load();
        var container = Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "containers"))));
        string[] command = [.. Assert.IsType<YamlSequenceNode>(At(container, "command")).Select(n => ((YamlScalarNode)n).Value!)];
        string[] args = [.. Assert.IsType<YamlSequenceNode>(At(container, "args")).Select(n => ((YamlScalarNode)n).Value!)];
        var env = Assert.IsType<YamlSequenceNode>(At(container, "env")).Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"));

        Assert.Equal(["initlab", "sweep", "worker"], command);
        var (code, help, _) = CliRunner.Run("sweep", "worker", "--help");
        Assert.Equal(0, code);
        foreach (string flag in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.Contains(flag + " ", help, StringComparison.Ordinal);
        }
        Assert.Contains("--store", args);
        Assert.Contains("--name", args);
        // Kubernetes expands $(NAME) in args from the container's env; JOB_COMPLETION_INDEX is added by the Job controller.
        foreach (Match reference in VariableReference().Matches(string.Join(' ', args)))
        {
            string variable = reference.Groups[1].Value;
            Assert.True(variable == "JOB_COMPLETION_INDEX" || env.ContainsKey(variable), $"$({variable}) is not defined in env");
        }
        Assert.Equal(Text(job, "spec", "completions"), Text(env["INITLAB_SHARD_COUNT"], "value"));
    }

    [Fact]
    public void Password_ComesFromASecretAndNeverFromTheTemplate()
    {
        YamlMappingNode job = Load();
        var container = (YamlMappingNode)((YamlSequenceNode)At(job, "spec", "template", "spec", "containers")).Children[0];
        var env = ((YamlSequenceNode)At(container, "env")).Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"));

        Assert.Equal("password", Text(env["PGPASSWORD"], "valueFrom", "secretKeyRef", "key"));
        Assert.False(string.IsNullOrEmpty(Text(env["PGPASSWORD"], "valueFrom", "secretKeyRef", "name")));
        string store = Text(env["INITLAB_SWEEP_STORE"], "value");
        Assert.StartsWith("postgresql://", store, StringComparison.Ordinal);
        // user@host only: a "user:password@" would put the password in the manifest.
        Assert.DoesNotMatch("^postgresql://[^@/]*:[^@/]*@", store);
    }

    [GeneratedRegex(@"\$\(([A-Z_][A-Z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
