using System.Globalization;
using InitLab.Cli.Commands;
using InitLab.Cli.Errors;
using InitLab.Common;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Review D1 (issue 9 §4): <c>train --rows 1000000000</c> grew to 22 GB and <c>--data blobs --rows 2000000000</c>
/// ended in a bare .NET overflow message. Both are refused before anything is generated, naming --rows.</summary>
public class GeneratedRowsBudgetTests
{
    [Fact]
    public void Train_BlobsRowsBeyondOneArray_RefusedNamingRows()
    {
        // blobs has 2 features: 2,000,000,000 × 2 = 4e9 values > Array.MaxLength (2,147,483,591); at most 1,073,741,795 rows.
        var (code, output, error) = CliRunner.Run("train", "--data", "blobs", "--rows", "2000000000", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --rows: got 2000000000; blobs has 2 features per row, 4,000,000,000 values, more than one array holds (2,147,483,591)", error, StringComparison.Ordinal);
        Assert.Contains("Use at most 1,073,741,795 rows.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("overflow", error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(output);
    }

    [Fact]
    public void Train_RowsBeyondMemory_RefusedWithTheEstimate()
    {
        // moons, 1e9 rows: 2e9 values fit one array, but at 32·2 + 24 = 88 B per row training needs 8.8e10 B = 82.0 GiB.
        double bytes = 1e9 * (32.0 * 2 + 24);
        if (bytes <= MemoryBudget.AvailableBytes)
        {
            return; // a machine with more than 82 GiB would run it; the budget arithmetic is tested below
        }
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--rows", "1000000000", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --rows: got 1000000000; 1,000,000,000 rows of moons need about 82.0 GiB to generate, split and train on (88 B per row)", error, StringComparison.Ordinal);
        Assert.Contains("this process may use. Use at most ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 1000, 88_000, false)] // exactly the budget fits
    [InlineData(2, 1000, 87_999, true)]
    [InlineData(1, 1000, 56_000, false)]
    [InlineData(1, 1000, 55_999, true)]
    public void GeneratedRows_Budget_RefusedOnlyAboveIt(int features, int rows, long available, bool refused)
    {
        // Independent arithmetic: bytes per row = 8 copies × 4 B × features + 24 B.
        Assert.Equal(8 * 4 * features + 24, SizeChecks.GeneratedBytesPerRow(features));
        var thrown = Record.Exception(() => SizeChecks.GeneratedRows("--rows", rows, "set", features, available));
        Assert.Equal(refused, thrown is CliUsageException);
        if (thrown is not null)
        {
            long most = available / (8 * 4 * features + 24);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Use at most {most:N0} rows."), thrown.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Train_IrisIgnoresRows_NotChecked()
    {
        // --rows sizes generated sets only: iris keeps its 150 rows whatever --rows says.
        var (code, _, error) = CliRunner.Run("train", "--data", "iris", "--rows", "2000000000", "--epochs", "1");
        Assert.Equal(0, code);
        Assert.DoesNotContain("error:", error, StringComparison.Ordinal);
    }
}
