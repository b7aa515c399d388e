using NUnit.Framework;
using Probing.Training.Infrastructure;

namespace Probing.Tests.Infrastructure;

public class JsonTests
{
    sealed record Sample(int HiddenSize, string Name);

    [Test]
    public void UnknownKeyIsAnErrorNamingTheKeyAndFile()
    {
        var error = Assert.Throws<InputError>(() => Json.Deserialize<Sample>("{\"hidden_size\": 3, \"name\": \"x\", \"hiden\": 1}", "cfg.json"));
        Assert.That(error!.Message, Does.StartWith("cfg.json: unknown key"));
        Assert.That(error.Message, Does.Contain("hiden"));
    }

    [Test]
    public void KnownKeysRoundTrip()
    {
        var sample = new Sample(128, "tiny");
        Assert.That(Json.Deserialize<Sample>(Json.Serialize(sample), "x"), Is.EqualTo(sample));
        Assert.That(Json.Serialize(sample), Does.Contain("\"hidden_size\": 128"));
    }
}
