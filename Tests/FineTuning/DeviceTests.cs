using System.Text.RegularExpressions;
using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using static TorchSharp.torch;

namespace Probing.Tests.FineTuning;

/// <summary>
/// Device end to end, checked on a CPU-only machine two ways: every tensor factory in the code that
/// fine-tunes (model, methods, optimizer, ensembles, feature extraction) names its device or says why it
/// stays on the CPU; and the audit that fine-tuning runs after its first step (parameters, gradients,
/// optimizer moments, teachers, snapshots) finds a tensor on another device than the model's.
/// </summary>
public partial class DeviceTests
{
    static readonly string[] Folders = ["Training/FineTuning", "Training/Regularizers", "Training/Model", "Training/Optimization", "Probing/Features"];

    [GeneratedRegex(@"(?<![\w.])(zeros|ones|randn|rand|tensor|arange|empty|full|eye|linspace|randint|randperm|normal)\(")]
    private static partial Regex Factory();

    [Test]
    public void EveryTensorFactoryNamesItsDevice()
    {
        var root = Path.GetFullPath(Path.Combine(ProjectPaths.DataDir, ".."));
        var offenders = new List<string>();
        foreach (var folder in Folders)
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                    if (Factory().IsMatch(lines[i]) && !lines[i].Contains("device:", StringComparison.Ordinal))
                        offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {code}");
                }
            }
        Assert.That(offenders, Is.Empty, "tensor factories without device: (add the model's device, or a `// device: why on the CPU` comment)");
    }

    [Test]
    public void AuditNamesATensorOnAnotherDevice()
    {
        using var module = nn.Linear(3, 2);
        Assert.DoesNotThrow(() => DeviceAudit.Require(CPU, DeviceAudit.TensorsOf(module), "test"));
        using var elsewhere = zeros(2, device: new Device(TorchSharp.DeviceType.META));
        var error = Assert.Throws<InvalidOperationException>(() =>
            DeviceAudit.Require(CPU, [.. DeviceAudit.TensorsOf(module), ("method.teacher.weight", elsewhere)], "fine-tuning step 1"));
        Assert.That(error!.Message, Does.Contain("method.teacher.weight").And.Contain("meta").And.Contain("fine-tuning step 1"));
    }
}
