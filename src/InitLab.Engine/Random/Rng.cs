using System.Runtime.CompilerServices;

namespace InitLab.Random;

/// <summary>
/// InitLab's seedable generator: xoshiro256** (Blackman &amp; Vigna 2018) whose 256-bit state is filled by
/// SplitMix64 from a 64-bit key. The algorithm is fixed and pinned by a golden test, so a seed means the same
/// numbers on every machine, runtime version and thread count.
/// </summary>
/// <remarks>
/// Normal deviates use the Marsaglia polar method (pairs; the second value of a pair is kept for the next call).
/// <see cref="Fork(ulong)"/> derives an independent stream from the key and a stream id alone, never from how many
/// numbers were drawn, so adding a layer or a diagnostic draw shifts no other stream.
/// </remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    /// <summary>Creates a generator for <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; equal seeds give equal sequences.</param>
    public Rng(ulong seed)
    {
        Key = seed;
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>The 64-bit key this generator was created from (the seed, or a forked key).</summary>
    public ulong Key { get; }

    /// <summary>
    /// An independent generator for stream <paramref name="streamId"/>: its key is SplitMix64 of this key mixed with
    /// the id, so it depends on neither the draws made so far nor on other streams.
    /// </summary>
    /// <param name="streamId">The stream, e.g. a layer index.</param>
    /// <returns>A new generator.</returns>
    public Rng Fork(ulong streamId)
    {
        ulong x = Key ^ (0xD1B54A32D192ED03UL * (streamId + 1));
        return new Rng(SplitMix64(ref x));
    }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    /// <returns>The value.</returns>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>) without modulo bias (Lemire's method).</summary>
    /// <param name="exclusiveMax">Upper bound, at least 1.</param>
    /// <returns>The value.</returns>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>A standard normal deviate by the Marsaglia polar method.</summary>
    /// <returns>A draw from N(0, 1).</returns>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpareNormal = true;
        return u * factor;
    }

    /// <summary>A normal deviate with the given mean and standard deviation.</summary>
    /// <param name="mean">Mean.</param>
    /// <param name="stdDev">Standard deviation.</param>
    /// <returns>The value.</returns>
    public double Normal(double mean, double stdDev) => mean + stdDev * NextNormal();

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">The items to permute.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
