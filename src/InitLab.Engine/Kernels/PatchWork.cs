namespace InitLab.Kernels;

/// <summary>
/// Runs <see cref="Im2Col.Pack"/> or <see cref="Im2Col.UnpackAdd"/> over the images of a batch split among threads, each
/// part a contiguous range of images. A layer owns one and reuses it, so a call allocates nothing; the images are
/// independent, so the bits do not depend on the thread count.
/// </summary>
internal sealed class PatchWork : ParallelWork
{
    private float[] _source = [];
    private float[] _destination = [];
    private int _images;
    private ConvolutionGeometry _geometry;
    private int _channelStart;
    private int _channelCount;
    private bool _unpack;

    /// <summary>im2col of <paramref name="images"/> images of <paramref name="input"/> into <paramref name="patches"/>.</summary>
    public void Pack(float[] input, int images, in ConvolutionGeometry geometry, int channelStart, int channelCount, float[] patches, int threads) =>
        Run(input, patches, images, geometry, channelStart, channelCount, unpack: false, threads);

    /// <summary>col2im: adds <paramref name="patches"/> of <paramref name="images"/> images onto <paramref name="output"/>
    /// (cleared by the caller).</summary>
    public void UnpackAdd(float[] patches, int images, in ConvolutionGeometry geometry, int channelStart, int channelCount, float[] output, int threads) =>
        Run(patches, output, images, geometry, channelStart, channelCount, unpack: true, threads);

    private void Run(float[] source, float[] destination, int images, in ConvolutionGeometry geometry, int channelStart, int channelCount,
        bool unpack, int threads)
    {
        _source = source;
        _destination = destination;
        _images = images;
        _geometry = geometry;
        _channelStart = channelStart;
        _channelCount = channelCount;
        _unpack = unpack;
        // A part below ~16k values costs more to hand to a worker than to do.
        long work = (long)images * geometry.Positions * geometry.Taps * channelCount;
        int parts = (int)Math.Clamp(Math.Min(threads, work / 16_384), 1, images);
        WorkerPool.Run(this, parts);
        _source = [];
        _destination = [];
    }

    public override void Execute(int index, int count)
    {
        int first = (int)((long)_images * index / count);
        int end = (int)((long)_images * (index + 1) / count);
        if (_unpack)
        {
            Im2Col.UnpackAdd(_source, first, end - first, _geometry, _channelStart, _channelCount, _destination);
        }
        else
        {
            Im2Col.Pack(_source, first, end - first, _geometry, _channelStart, _channelCount, _destination);
        }
    }
}
