using InitLab.Kernels;

namespace InitLab.Optimizers;

public abstract partial class Optimizer
{
    /// <summary>Below this many values a parameter is updated on the calling thread (waking a worker costs more than
    /// the pass: 2^18 floats is 1 MiB of weights, about 40 µs of update).</summary>
    internal const int ParallelUpdateMinimum = 1 << 18;

    /// <summary>Parts of a parallel update start at multiples of this many values (64 bytes of floats). A float[]'s data
    /// is not itself 64-byte aligned, so the two parts may share the one cache line at their boundary: harmless.</summary>
    private const int PartAlignment = 16;

    private UpdateWork? _work;

    /// <summary>Threads an update may use; the model that owns the optimizer sets its own thread count before each step.
    /// Every update rule is elementwise, so any split gives the same bits.</summary>
    internal int Threads { get; set; } = 1;

    /// <summary>Whether the rule is elementwise and implements <see cref="UpdateRange"/> (the built-in optimizers): the
    /// update of a value reads only that value, its gradient, its own state and <see cref="Iterations"/>. So a large
    /// parameter may be split across threads, and a step's parameters updated one at a time in any order as their
    /// gradients become final (<see cref="BeginStep"/>, then <see cref="StepParameter"/> for each). A subclass written
    /// outside the library cannot override this: it implements <see cref="Update"/>, gets every parameter whole, and
    /// always a whole <see cref="Step"/>.</summary>
    internal virtual bool UpdatesElementwise => false;

    /// <summary>Updates values [start, start + value.Length) of parameter <paramref name="index"/>: the same rule as
    /// <see cref="Update"/>, with the optimizer's state for the parameter sliced the same way.</summary>
    /// <param name="index">The parameter's position.</param>
    /// <param name="start">Offset of <paramref name="value"/> in the parameter.</param>
    /// <param name="value">The values to update.</param>
    /// <param name="gradient">Their gradient.</param>
    private protected virtual void UpdateRange(int index, int start, Span<float> value, ReadOnlySpan<float> gradient) =>
        throw new NotSupportedException($"{GetType().Name} updates whole parameters only.");

    /// <summary>One parameter with its own gradient, on <see cref="Threads"/> threads when it is large: the update
    /// streams the weights and the gradient from memory once, so a second core adds bandwidth (W4's 6.3 M weights).</summary>
    private void UpdateWhole(int index, Parameter parameter)
    {
        int length = parameter.Value.Length;
        int parts = Math.Min(Threads, length / ParallelUpdateMinimum + 1);
        if (parts < 2 || !UpdatesElementwise)
        {
            Update(index, parameter.Value, parameter.Gradient);
            return;
        }
        _work ??= new UpdateWork(this);
        _work.Index = index;
        _work.Parameter = parameter;
        try
        {
            // A part that throws on a worker surfaces as an AggregateException (WorkerPool); the built-in rules have no
            // failure of their own once the lengths were checked.
            WorkerPool.Run(_work, parts);
        }
        finally
        {
            _work.Parameter = null;
        }
    }

    /// <summary>Start of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/> values.</summary>
    internal static int PartStart(int part, int parts, int length) =>
        part == parts ? length : (int)Math.Min(length, (long)length * part / parts / PartAlignment * PartAlignment);

    /// <summary>A reusable work item, so a parallel update allocates nothing after the first.</summary>
    private sealed class UpdateWork(Optimizer owner) : ParallelWork
    {
        public int Index { get; set; }

        public Parameter? Parameter { get; set; }

        public override void Execute(int index, int count)
        {
            Parameter p = Parameter!;
            int start = PartStart(index, count, p.Value.Length);
            int end = PartStart(index + 1, count, p.Value.Length);
            owner.UpdateRange(Index, start, p.Value.AsSpan(start, end - start), p.Gradient.AsSpan(start, end - start));
        }
    }
}
