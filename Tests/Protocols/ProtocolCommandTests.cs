using NUnit.Framework;
using Probing.Tests.Workbench;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Regularizers;
using Probing.Workbench;
using Probing.Workbench.Commands;

namespace Probing.Tests.Protocols;

public class ProtocolCommandTests
{
    [Test]
    public void MethodOptionsGoToTheMethodsThatHaveThemAndUnknownKeysAreErrors()
    {
        var configs = ProtocolOptions.Configure(["standard", "r3f"], ProtocolOptions.Defaults("aggressive", 64), ["method.eps=0.001", "max_steps=20"]);
        Assert.That(configs.Select(c => MethodRegistry.KindOf(c.Method)), Is.EqualTo(new[] { "standard", "r3f" }));
        Assert.That(((R3fOptions)configs[1].Method).Eps, Is.EqualTo(1e-3));
        Assert.That(configs.Select(c => (c.MaxSteps, c.LearningRate, c.MaxLength)), Is.All.EqualTo((20, 3e-3, 64)));
        Assert.Throws<InputError>(() => ProtocolOptions.Configure(["standard"], ProtocolOptions.Defaults("gentle", 64), ["method.eps=0.001"]));
        Assert.Throws<InputError>(() => ProtocolOptions.Configure(["standard", "r3f"], ProtocolOptions.Defaults("gentle", 64), ["learning_rat=1"]));
        Assert.That(ProtocolOptions.Defaults("gentle", 128).LearningRate, Is.EqualTo(2e-4));
    }

    [TestCase("chain", "--methods", "dropconnect")]
    [TestCase("retention", "--methods", "standard", "--cycles", "0")]
    [TestCase("probe", "some-checkpoint", "--methods", "standard")]
    [TestCase("chain", "--methods", "standard", "--tasks", "no-such-task")]
    [TestCase("probe", "--methods", "standard", "--task", "no-such-task")]
    [TestCase("probe", "--methods", "standard", "--task", "debian-headlines", "--setting", "aggressive")]
    [TestCase("probe", "--methods", "standard", "--task", "debian-headlines", "--set", "max_lenght=4")]
    [TestCase("probe", "--methods", "standard", "--task", "debian-headlines", "--curve-every", "5")]
    public void BadProtocolInputIsOneLineAndExitCodeTwo(params string[] args)
    {
        var (code, error) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
    }
}
