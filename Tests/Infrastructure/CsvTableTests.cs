using CsvHelper;
using NUnit.Framework;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Infrastructure;

[CsvRecord]
public partial record SampleRow(int Step, double Loss, string Name);

public class CsvTableTests
{
    [Test]
    public void RowsRoundTripWithInvariantNumbers()
    {
        var path = Path.Combine(Path.GetTempPath(), $"csvtable-{Guid.NewGuid():N}.csv");
        SampleRow[] rows = [new(1, 0.5, "a,b"), new(2, 1e-7, "c")];
        CsvTable.Write(path, rows);
        Assert.That(File.ReadAllText(path), Does.Contain("0.5"));
        Assert.That(CsvTable.Read<SampleRow>(path), Is.EqualTo(rows));
        File.Delete(path);
    }
}
