using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// Fills a weight tensor. The contract is small: a registry name, a fill given the fans (from the layer) and an
/// explicit generator, and a JSON-able config that resolves back to the same initializer.
/// </summary>
public interface IInitializer
{
    /// <summary>Registry name, e.g. "he_normal".</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="weights"/> (row-major, shape <paramref name="shape"/>).</summary>
    /// <param name="weights">Destination.</param>
    /// <param name="shape">The tensor's shape (structured initializers such as orthogonal need it).</param>
    /// <param name="fans">The fans the tensor connects.</param>
    /// <param name="rng">The generator to draw from.</param>
    void Fill(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng);

    /// <summary>The parameters that, with <see cref="Name"/>, rebuild this initializer.</summary>
    /// <returns>Parameter name → value (numbers as double, others as string).</returns>
    IReadOnlyDictionary<string, object> GetConfig();
}
