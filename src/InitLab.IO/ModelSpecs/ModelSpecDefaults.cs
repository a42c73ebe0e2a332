using InitLab.Initializers;

namespace InitLab.ModelSpecs;

/// <summary>What a spec's layers get where the file says nothing: the command's <c>--init</c> and <c>--bias-init</c> for
/// every Dense without its own initializer, and the output activation for a last Dense without an activation.</summary>
/// <param name="KernelInitializer">Makes a Dense layer's kernel initializer (called once per layer).</param>
/// <param name="BiasInitializer">Makes a Dense layer's bias initializer (called once per layer).</param>
/// <param name="OutputActivation">The activation of the last top-level Dense when the file gives none (e.g. softmax).</param>
public sealed record ModelSpecDefaults(Func<IInitializer> KernelInitializer, Func<IInitializer> BiasInitializer, string OutputActivation);
