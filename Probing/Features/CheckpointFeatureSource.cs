using Probing.Training.Checkpoints;
using Probing.Training.Model;
using Probing.Training.Text;

namespace Probing.Probing.Features;

/// <summary>A model folder (a pretrained base or a fine-tuned run's <c>best/</c> or <c>last/</c>).</summary>
public sealed class CheckpointFeatureSource(string name, ModelFolder folder) : IFeatureSource
{
    readonly Lazy<ITextTokenizer> tokenizer = new(folder.LoadTokenizer);
    readonly Lazy<EncoderConfig> config = new(folder.ReadConfig);

    public string Name => name;
    public ModelFolder Folder => folder;
    public string ContentHash => CheckpointHash.Of(folder);
    public EncoderConfig Config => config.Value;
    public ITextTokenizer Tokenizer => tokenizer.Value;
    public Encoder LoadEncoder() => folder.LoadEncoder();
}
