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

    [Test]
    public void AResumedRunKeepsTheManifestsOfItsEarlierProcesses()
    {
        var directory = Path.Combine(Directory.CreateTempSubdirectory("probing-manifest-").FullName, "run");
        using var run = Open(directory);
        File.Delete(run.File(RunFolder.ManifestFile));                       // this test plays the processes itself
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = RunManifest.Begin("pretrain", 1, "cpu") with { CodeVersion = "aaaa", Threads = 1, Start = start };
        run.WriteManifest(first);                                            // killed before it finished
        var second = first with { CodeVersion = "bbbb", Start = start.AddHours(1) };
        run.WriteManifest(second);                                           // resumed, killed again
        var third = first with { CodeVersion = "cccc", Threads = 2, Start = start.AddHours(2) };
        run.WriteManifest(third);
        run.WriteManifest(third.Finish());                                   // the same process finishing

        var written = Json.Read<RunManifest>(run.File(RunFolder.ManifestFile));
        Assert.That(written.CodeVersion, Is.EqualTo("cccc"));
        Assert.That(written.End, Is.Not.Null);
        Assert.That(written.Segments().Select(s => (s.CodeVersion, s.Threads, s.Start)),
            Is.EqualTo(new[] { ("aaaa", 1, start), ("bbbb", 1, start.AddHours(1)), ("cccc", 2, start.AddHours(2)) }));
        Assert.That(written.ThreadHistory(), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void AFreshRunHasNoEarlierSegments()
    {
        using var run = Open(Path.Combine(Directory.CreateTempSubdirectory("probing-manifest-").FullName, "run"));
        File.Delete(run.File(RunFolder.ManifestFile));
        var manifest = RunManifest.Begin("pretrain", 1, "cpu");
        run.WriteManifest(manifest);
        run.WriteManifest(manifest.Finish());
        var written = Json.Read<RunManifest>(run.File(RunFolder.ManifestFile));
        Assert.That(written.EarlierSegments, Is.Null);
        Assert.That(written.ThreadHistory(), Is.EqualTo(new[] { manifest.Threads }));
    }

    static RunFolder Open(string directory) =>
        RunFolder.Open(new RunPlan(directory, RunIdentity.Of("test", new { Steps = 100 }, new Dictionary<string, InputFiles>()), "pretrain", 1, _ => { }), forceNew: false)!;

    /// <summary>In a git checkout the build stamps the commit into the workbench, so manifests never say "unknown" there.</summary>
    [Test]
    public void TheBuildStampsTheCommitInAGitCheckout()
    {
        var root = Path.GetDirectoryName(ProjectPaths.DataDir)!;
        if (!Directory.Exists(Path.Combine(root, ".git"))) Assert.Ignore("not a git checkout");
        Assert.That(RunManifest.CodeVersionOf(typeof(RunManifest).Assembly), Does.Match(new Regex("^[0-9a-f]{12}(-dirty)?$")));
    }
}
