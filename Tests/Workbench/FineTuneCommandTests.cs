using NUnit.Framework;
using Probing.Training.Infrastructure;
using Probing.Workbench;
using Probing.Workbench.Commands;
using Probing.Workbench.Experiments;

namespace Probing.Tests.Workbench;

public class FineTuneCommandTests
{
    static (int ExitCode, string Error) RunCli(params string[] args)
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try { return (Cli.Run(args), error.ToString()); }
        finally { Console.SetError(original); }
    }

    [Test]
    public void UnknownMethodExitsWithCodeTwoListingTheValidMethods()
    {
        var (code, error) = RunCli("finetune", "--task", "sst2", "--method", "dropconnect");
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("unknown method 'dropconnect'").And.Contain("standard, r3f, r4f, smart, freelb, self-ensemble, sda, sdv"));
    }

    [Test]
    public void UnknownMethodOptionExitsWithCodeTwoListingTheValidOptions()
    {
        var (code, error) = RunCli("finetune", "--task", "sst2", "--method", "r3f", "--set", "method.epsilon=1");
        Assert.That(code, Is.EqualTo(Cli.BadInputExitCode));
        Assert.That(error, Does.Contain("method.epsilon").And.Contain("eps").And.Contain("noise_type"));
    }

    [Test]
    public void ConfigJsonCarriesTheMethodKindAndItsOptions()
    {
        var config = ConfigOverrides.Apply(new Training.FineTuning.FineTuneConfig { Method = Training.Regularizers.MethodRegistry.Defaults("smart") }, ["method.adv_k=2"]);
        var json = Json.Serialize(config);
        Assert.That(json, Does.Contain("\"kind\": \"smart\"").And.Contain("\"adv_k\": 2").And.Contain("\"proximal_mu\""));
        Assert.That(Json.Deserialize<Training.FineTuning.FineTuneConfig>(json, "config.json"), Is.EqualTo(config));
        var error = Assert.Throws<InputError>(() => Json.Deserialize<Training.FineTuning.FineTuneConfig>(json.Replace("\"smart\"", "\"smarter\""), "config.json"));
        Assert.That(error!.Message, Does.Contain("unknown method 'smarter'").And.Contain("freelb"));
    }

    [TestCase("1-4", new[] { 1, 2, 3, 4 })]
    [TestCase("1,3,5", new[] { 1, 3, 5 })]
    [TestCase("1-2,7", new[] { 1, 2, 7 })]
    public void ParsesSeedRangesAndLists(string text, int[] expected) => Assert.That(SeedList.Parse(text), Is.EqualTo(expected));

    [TestCase("3-1")]
    [TestCase("a")]
    [TestCase("1,1")]
    public void RefusesBadSeedLists(string text) => Assert.Throws<InputError>(() => SeedList.Parse(text));

    [Test]
    public void SeedSummaryReportsMedianMaxMeanAndSd()
    {
        var output = Directory.CreateTempSubdirectory("probing-seeds-").FullName;
        FineTuneMetrics Metrics(int seed, double dev) => new("keyword", "standard", seed, "accuracy", dev, 10, new Dictionary<string, double>(), new Dictionary<string, double>(), 10, 1, 2);
        var summary = SeedSweep.Summarize([Metrics(1, 0.7), Metrics(2, 0.9), Metrics(3, 0.8)], output);
        Assert.That(summary.Median, Is.EqualTo(0.8).Within(1e-12));
        Assert.That(summary.Max, Is.EqualTo(0.9));
        Assert.That(summary.Mean, Is.EqualTo(0.8).Within(1e-12));
        Assert.That(summary.StandardDeviation, Is.EqualTo(0.1).Within(1e-12));
        var rows = CsvTable.Read<SeedRunRow>(Path.Combine(output, SeedSweep.TableFile));
        Assert.That(rows.Select(r => r.Seed), Is.EqualTo(new[] { 1, 2, 3 }), "one row per seed, no summary rows in the seed column");
        Assert.That(rows.Select(r => r.Value), Is.EqualTo(new[] { 0.7, 0.9, 0.8 }));
    }
}
