using Probing.Training.Infrastructure;
using Probing.Training.Model;

namespace Probing.Training.Regularizers;

/// <summary>
/// Every fine-tuning method, one line each: its <c>kind</c> in configs, its options record (with
/// the references' defaults), how to build it for a classifier and, where it has one, its
/// sequence-to-sequence form (with that reference's defaults where they differ).
/// </summary>
public static class MethodRegistry
{
    sealed record Entry(string Kind, Type OptionsType, Func<MethodOptions> Defaults, Func<MethodOptions, RegularizerContext, IRegularizer> Create,
        Func<MethodOptions>? Seq2SeqDefaults = null, Func<MethodOptions, Seq2SeqModel, ISeq2SeqMethod>? CreateSeq2Seq = null);

    static Entry Method<TOptions>(string kind, Func<TOptions, RegularizerContext, IRegularizer> create) where TOptions : MethodOptions, new() =>
        new(kind, typeof(TOptions), () => new TOptions(), (options, context) => create((TOptions)options, context));

    static Entry WithSeq2Seq<TOptions>(this Entry entry, Func<TOptions, Seq2SeqModel, ISeq2SeqMethod> create, Func<TOptions>? defaults = null) where TOptions : MethodOptions, new() =>
        entry with { Seq2SeqDefaults = defaults ?? (() => new TOptions()), CreateSeq2Seq = (options, model) => create((TOptions)options, model) };

    static readonly Entry[] Entries =
    [
        Method<StandardOptions>("standard", (o, c) => new Standard(o, c)).WithSeq2Seq<StandardOptions>((o, m) => new Seq2SeqStandard(o, m)),
        // fairseq's label_smoothed_cross_entropy_r3f draws normal noise by default, its sentence_prediction_r3f uniform.
        Method<R3fOptions>("r3f", (o, c) => new R3f(o, c)).WithSeq2Seq<R3fOptions>((o, m) => new Seq2SeqR3f(o, m), () => new R3fOptions { NoiseType = NoiseType.Normal }),
        Method<R4fOptions>("r4f", (o, c) => new R3f(o, c)),
        Method<SmartOptions>("smart", (o, c) => new Smart(o, c)),
        Method<FreeLbOptions>("freelb", (o, c) => new FreeLb(o, c)),
        Method<SelfEnsembleOptions>("self-ensemble", (o, c) => new SelfEnsemble(o, c)),
        Method<SdaOptions>("sda", (o, c) => new SelfDistillation(o, c)),
        Method<SdvOptions>("sdv", (o, c) => new SelfDistillation(o, c)),
    ];

    public static IReadOnlyList<string> Kinds { get; } = [.. Entries.Select(e => e.Kind)];

    /// <summary>The default options of a method; an unknown kind is an error listing the valid ones.</summary>
    public static MethodOptions Defaults(string kind) => Find(kind).Defaults();

    public static Type OptionsType(string kind) => Find(kind).OptionsType;

    public static string KindOf(MethodOptions options) =>
        Entries.First(e => e.OptionsType == options.GetType()).Kind;

    public static IRegularizer Create(MethodOptions options, RegularizerContext context) =>
        Entries.First(e => e.OptionsType == options.GetType()).Create(options, context);

    /// <summary>The methods that fine-tune a sequence-to-sequence model.</summary>
    public static IReadOnlyList<string> Seq2SeqKinds { get; } = [.. Entries.Where(e => e.CreateSeq2Seq is not null).Select(e => e.Kind)];

    /// <summary>The default options of a method's seq2seq form; a method without one is an error naming those that have one.</summary>
    public static MethodOptions Seq2SeqDefaults(string kind) => Seq2SeqEntry(Find(kind)).Seq2SeqDefaults!();

    public static ISeq2SeqMethod CreateSeq2Seq(MethodOptions options, Seq2SeqModel student) =>
        Seq2SeqEntry(Entries.First(e => e.OptionsType == options.GetType())).CreateSeq2Seq!(options, student);

    /// <summary>Refuses a method without a seq2seq form, naming those that have one.</summary>
    public static void RequireSeq2Seq(MethodOptions options) => Seq2SeqEntry(Entries.First(e => e.OptionsType == options.GetType()));

    static Entry Seq2SeqEntry(Entry entry) => entry.CreateSeq2Seq is not null ? entry
        : throw new InputError($"method '{entry.Kind}' has no sequence-to-sequence form; seq2seq fine-tuning takes {string.Join(", ", Seq2SeqKinds)}");

    public static string UnknownKindMessage(string kind) => $"unknown method '{kind}'; valid methods: {string.Join(", ", Kinds)}";

    static Entry Find(string kind) =>
        Entries.FirstOrDefault(e => e.Kind == kind) ?? throw new InputError(UnknownKindMessage(kind));
}
