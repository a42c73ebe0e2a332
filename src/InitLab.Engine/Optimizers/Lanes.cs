using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace InitLab.Optimizers;

// The optimizer update rules are written once, generic over ILanes: Lanes512/256/128 run them on 16/8/4 floats at a
// time, ScalarLanes on one (the tail). Every operation used (+, −, ×, ÷, √) is correctly rounded per lane in IEEE
// single precision and nothing is fused or reordered, so each lane gives the same bits as the scalar formula.

/// <summary>A bundle of float lanes with the arithmetic the update rules need.</summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Floats per bundle.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs in hardware here (false under the DOTNET_Enable* switches that turn it off).</summary>
    static abstract bool IsAccelerated { get; }

    static abstract TSelf Load(ref float source, int offset);

    static abstract void Store(TSelf value, ref float destination, int offset);

    static abstract TSelf Broadcast(float value);

    static abstract TSelf Sqrt(TSelf value);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    static abstract TSelf operator /(TSelf left, TSelf right);
}

/// <summary>One float: the scalar tail.</summary>
internal readonly struct ScalarLanes(float value) : ILanes<ScalarLanes>
{
    private readonly float _value = value;

    public static int Count => 1;

    public static bool IsAccelerated => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Load(ref float source, int offset) => new(Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ScalarLanes value, ref float destination, int offset) => Unsafe.Add(ref destination, offset) = value._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Broadcast(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Sqrt(ScalarLanes value) => new(MathF.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator +(ScalarLanes left, ScalarLanes right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator -(ScalarLanes left, ScalarLanes right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator *(ScalarLanes left, ScalarLanes right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator /(ScalarLanes left, ScalarLanes right) => new(left._value / right._value);
}

/// <summary>Four floats (SSE / AdvSimd).</summary>
internal readonly struct Lanes128(Vector128<float> value) : ILanes<Lanes128>
{
    private readonly Vector128<float> _value = value;

    public static int Count => Vector128<float>.Count;

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ref float source, int offset) => new(Vector128.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes128 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Broadcast(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Sqrt(Lanes128 value) => new(Vector128.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 left, Lanes128 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 left, Lanes128 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator *(Lanes128 left, Lanes128 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator /(Lanes128 left, Lanes128 right) => new(left._value / right._value);
}

/// <summary>Eight floats (AVX).</summary>
internal readonly struct Lanes256(Vector256<float> value) : ILanes<Lanes256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref float source, int offset) => new(Vector256.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Broadcast(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sqrt(Lanes256 value) => new(Vector256.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator /(Lanes256 left, Lanes256 right) => new(left._value / right._value);
}

/// <summary>Sixteen floats (AVX-512).</summary>
internal readonly struct Lanes512(Vector512<float> value) : ILanes<Lanes512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref float source, int offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512 value, ref float destination, int offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sqrt(Lanes512 value) => new(Vector512.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator /(Lanes512 left, Lanes512 right) => new(left._value / right._value);
}
