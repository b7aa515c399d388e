using Probing.Training.Infrastructure;

namespace Probing.Training.Regularizers;

/// <summary>
/// Every fine-tuning method, one line each: its <c>kind</c> in configs, its options record (with
/// the references' defaults) and how to build it.
/// </summary>
public static class MethodRegistry
{
    sealed record Entry(string Kind, Type OptionsType, Func<MethodOptions> Defaults, Func<MethodOptions, RegularizerContext, IRegularizer> Create);

    static Entry Method<TOptions>(string kind, Func<TOptions, RegularizerContext, IRegularizer> create) where TOptions : MethodOptions, new() =>
        new(kind, typeof(TOptions), () => new TOptions(), (options, context) => create((TOptions)options, context));

    static readonly Entry[] Entries =
    [
        Method<StandardOptions>("standard", (o, c) => new Standard(o, c)),
        Method<R3fOptions>("r3f", (o, c) => new R3f(o, c)),
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

    public static string UnknownKindMessage(string kind) => $"unknown method '{kind}'; valid methods: {string.Join(", ", Kinds)}";

    static Entry Find(string kind) =>
        Entries.FirstOrDefault(e => e.Kind == kind) ?? throw new InputError(UnknownKindMessage(kind));
}
