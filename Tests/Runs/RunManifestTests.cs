using System.Text.RegularExpressions;
using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench.Runs;

namespace Probing.Tests.Runs;

public class RunManifestTests
{
    [TestCase("1.0.0+0123456789abcdef0123456789abcdef01234567", "0123456789ab")]
    [TestCase("1.0.0+0123456789abcdef0123456789abcdef01234567-dirty", "0123456789ab-dirty")]
    [TestCase("1.0.0+abc", "abc")]
    [TestCase("1.0.0", "unknown")]
    [TestCase("", "unknown")]
    public void CodeVersionIsTheStampedCommit(string informationalVersion, string expected) =>
        Assert.That(RunManifest.CodeVersionOf(informationalVersion), Is.EqualTo(expected));

    /// <summary>In a git checkout the build stamps the commit into the workbench, so manifests never say "unknown" there.</summary>
    [Test]
    public void TheBuildStampsTheCommitInAGitCheckout()
    {
        var root = Path.GetDirectoryName(ProjectPaths.DataDir)!;
        if (!Directory.Exists(Path.Combine(root, ".git"))) Assert.Ignore("not a git checkout");
        Assert.That(RunManifest.CodeVersionOf(typeof(RunManifest).Assembly), Does.Match(new Regex("^[0-9a-f]{12}(-dirty)?$")));
    }
}
