using Probing.Workbench.Reporting.Sections;

namespace Probing.Workbench.Reporting;

/// <summary>
/// A claim one of the papers makes about a comparison the reports measure anyway: it gives that
/// comparison the paper's wording and direction (or adds a pair the generic rules do not make, such as
/// R3F against SMART). The claims themselves come from the data (<see cref="ClaimBuilder"/>); this is
/// only their wording.
/// </summary>
public sealed record PaperClaim(string Paper, string Section, string Quantity, string Method, string Baseline, EffectTest Test, ClaimDirection Direction, string Statement)
{
    public bool Matches(MeasurementKey key, string method, string baseline, EffectTest test) =>
        key.Section == Section && key.Quantity == Quantity && method == Method && baseline == Baseline && test == Test;
}

/// <summary>The papers' claims this workbench tests (Aghajanyan et al. 2020; Xu et al. 2020), as data.</summary>
public static class PaperClaims
{
    const string Aghajanyan = "Aghajanyan et al. 2020", Xu = "Xu et al. 2020";
    const EffectTest Difference = EffectTest.PairedDifference;

    public static IReadOnlyList<PaperClaim> All { get; } =
    [
        new(Aghajanyan, GeneralizationSection.Name, GeneralizationSection.MeanOverTasks, "standard", "base", Difference, ClaimDirection.Lower,
            "standard fine-tuning degrades the representation for other tasks (collapse)"),
        new(Aghajanyan, GeneralizationSection.Name, GeneralizationSection.MeanOverTasks, "r3f", "standard", Difference, ClaimDirection.Higher,
            "R3F keeps more general features than standard fine-tuning"),
        new(Aghajanyan, GeneralizationSection.Name, GeneralizationSection.MeanOverTasks, "r4f", "standard", Difference, ClaimDirection.Higher,
            "R4F keeps more general features than standard fine-tuning"),
        new(Aghajanyan, ChainSection.Name, ChainSection.FirstTaskAfterLastStage, "r3f", "standard", Difference, ClaimDirection.Higher,
            "R3F degrades the first task less than standard along the chain"),
        new(Aghajanyan, ChainSection.Name, ChainSection.FirstTaskAfterLastStage, "r4f", "standard", Difference, ClaimDirection.Higher,
            "R4F degrades the first task less than standard along the chain"),
        new(Aghajanyan, MethodsSection.Name, MethodsSection.DevScore, "r3f", "standard", Difference, ClaimDirection.Higher,
            "R3F matches or beats standard fine-tuning"),
        new(Aghajanyan, MethodsSection.Name, MethodsSection.DevScore, "r4f", "standard", Difference, ClaimDirection.Higher,
            "R4F matches or beats standard fine-tuning"),
        new(Aghajanyan, MethodsSection.Name, MethodsSection.WallSeconds, "r3f", "smart", Difference, ClaimDirection.Lower,
            "R3F trains faster than SMART"),
        new(Aghajanyan, MethodsSection.Name, MethodsSection.WallSeconds, "r3f", "freelb", Difference, ClaimDirection.Lower,
            "R3F trains faster than FreeLB"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "self-ensemble", "standard", Difference, ClaimDirection.Higher,
            "the self-ensemble beats vanilla fine-tuning"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "sda", "standard", Difference, ClaimDirection.Higher,
            "SDA beats vanilla fine-tuning"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "sdv", "standard", Difference, ClaimDirection.Higher,
            "SDV beats vanilla fine-tuning"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "sda", "standard", EffectTest.VarianceRatio, ClaimDirection.Lower,
            "SDA lowers the variance across seeds"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "sdv", "standard", EffectTest.VarianceRatio, ClaimDirection.Lower,
            "SDV lowers the variance across seeds"),
        new(Xu, MethodsSection.Name, MethodsSection.DevScore, "sdv", "sda", Difference, ClaimDirection.Higher,
            "SDV beats SDA (Xu et al.: on NLI-like pair tasks)"),
    ];
}
