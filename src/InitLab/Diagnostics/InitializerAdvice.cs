namespace InitLab.Diagnostics;

/// <summary>What to change, in one sentence with the numbers. <see cref="Initializer"/> is set only when switching
/// initializer is the fix: it is never the initializer in use nor one with the same weight variance on this network
/// (e.g. glorot_normal for glorot_uniform), and it was checked to be healthy at initialisation on the same batch.</summary>
/// <param name="Initializer">The registry name to switch to, or null when no initializer change is advised.</param>
/// <param name="Text">The advice: which initializer and by how much the weight variance changes, or why no initializer
/// or gain helps and what does (fewer layers, normalization, another activation).</param>
public sealed record InitializerAdvice(string? Initializer, string Text);
