using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Probing.Training.Model;

/// <summary>
/// A BART-shaped encoder–decoder (Hugging Face <c>BartForConditionalGeneration</c>'s tensor names:
/// <c>model.shared.weight</c>, <c>model.encoder.*</c>, <c>model.decoder.*</c>, <c>final_logits_bias</c>).
/// One word embedding is shared by the encoder, the decoder and the output projection
/// (logits = h·Eᵀ + final_logits_bias). The encoder is the workbench's <see cref="Encoder"/> with BART's
/// names, so its features can be probed like any base's.
/// </summary>
public sealed class Seq2SeqModel : ExplicitModule
{
    const string FinalLogitsBiasName = "final_logits_bias";
    readonly Embedding shared;

    public Seq2SeqModel(Seq2SeqConfig config) : base("bart")
    {
        Config = config;
        shared = nn.Embedding(config.VocabSize, config.DModel, padding_idx: config.PadTokenId);
        Encoder = new Encoder(config.EncoderStack, shared);
        Decoder = new Decoder(config.DecoderStack, shared);
        RegisterAt("model.shared", shared);
        RegisterAt("model.encoder", Encoder);
        RegisterAt("model.decoder", Decoder);
        RegisterBufferAt(FinalLogitsBiasName, zeros(1, config.VocabSize));   // device: moved by Module.to
    }

    public Seq2SeqConfig Config { get; }
    public Encoder Encoder { get; }
    public Decoder Decoder { get; }

    /// <summary>The shared word-embedding matrix (V × H).</summary>
    public Parameter WordMatrix => shared.weight!;

    /// <summary>1 × V, added to every logit; zeros unless a checkpoint brings one (it is a buffer, not trained).</summary>
    public Tensor FinalLogitsBias => get_buffer(FinalLogitsBiasName)!;

    /// <summary>The source's raw word embeddings (B × S × H, before any embedding scale): what R3F perturbs.</summary>
    public Tensor WordEmbeddings(Tensor sourceIds) => Encoder.Embeddings.LookUpWords(sourceIds);

    /// <summary>Every encoder layer's states for source ids B × S (mask 1 on real tokens).</summary>
    public EncoderOutput Encode(Tensor sourceIds, Tensor sourceMask) => EncodeFromWordEmbeddings(WordEmbeddings(sourceIds), sourceMask);

    public EncoderOutput EncodeFromWordEmbeddings(Tensor sourceWords, Tensor sourceMask) =>
        Encoder.ForwardFromWordEmbeddings(sourceWords, zeros_like(sourceMask), sourceMask);

    /// <summary>Teacher-forced decoder logits B × T × V for a batch, at every target position (padding included).</summary>
    public Tensor Logits(Seq2SeqBatch batch) => LogitsFromWordEmbeddings(WordEmbeddings(batch.SourceIds), batch);

    /// <summary>
    /// Teacher-forced decoder logits B × T × V from (possibly perturbed) source word embeddings: the
    /// entry point of R3F, whose noise goes on the encoder's input embeddings only.
    /// </summary>
    public Tensor LogitsFromWordEmbeddings(Tensor sourceWords, Seq2SeqBatch batch) => Project(TeacherForcedStates(sourceWords, batch));

    /// <summary>Teacher-forced decoder logits N × V at the batch's real target positions only (<see cref="Seq2SeqBatch.AtTargets"/>): what training reads.</summary>
    public Tensor TargetLogits(Seq2SeqBatch batch) => TargetLogitsFromWordEmbeddings(WordEmbeddings(batch.SourceIds), batch);

    /// <summary>
    /// <see cref="LogitsFromWordEmbeddings"/> at the real target positions only (N × V). The tied
    /// projection onto the vocabulary dominates a small model's step; padded positions would only be
    /// thrown away by the loss, so their states are dropped before it.
    /// </summary>
    public Tensor TargetLogitsFromWordEmbeddings(Tensor sourceWords, Seq2SeqBatch batch) => Project(batch.AtTargets(TeacherForcedStates(sourceWords, batch)));

    /// <summary>The last decoder layer's states B × T × H with the labels shifted right as decoder inputs.</summary>
    Tensor TeacherForcedStates(Tensor sourceWords, Seq2SeqBatch batch) =>
        Decoder.Forward(batch.DecoderInputIds, EncodeFromWordEmbeddings(sourceWords, batch.SourceMask)).Last;

    /// <summary>Decoder logits B × t × V for the newest decoder inputs, continuing <paramref name="cache"/> if given.</summary>
    public Tensor DecoderLogits(Tensor decoderInputIds, EncoderOutput memory, DecoderCache? cache = null) =>
        Project(Decoder.Forward(decoderInputIds, memory, cache).Last);

    /// <summary>The tied output projection: hidden states → vocabulary logits.</summary>
    public Tensor Project(Tensor decoderStates) => nn.functional.linear(decoderStates, shared.weight!) + FinalLogitsBias;

    /// <summary>A cache for incremental decoding with this model's decoder.</summary>
    public DecoderCache NewCache() => new(Config.DecoderLayers);
}
