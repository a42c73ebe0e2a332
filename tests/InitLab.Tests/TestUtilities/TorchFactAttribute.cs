namespace InitLab.Tests.TestUtilities;

/// <summary>A fact that runs only where a python3 with PyTorch is installed (<c>apt-get install -y python3-torch</c>), and
/// says why it was skipped elsewhere: PyTorch is a cross-check, never a dependency.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (TorchPython.Python is null)
        {
            Skip = TorchPython.SkipReason;
        }
    }
}
