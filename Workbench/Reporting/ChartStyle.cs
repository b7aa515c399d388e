using Probing.Training.Infrastructure;
using ScottPlot;

namespace Probing.Workbench.Reporting;

/// <summary>
/// One look for every figure: the shipped DejaVu Sans (without a registered font ScottPlot draws
/// no text at all on a machine without system fonts) and one fixed colour per method.
/// </summary>
public static class ChartStyle
{
    public const string FontName = "DejaVu Sans";
    static readonly object gate = new();
    static bool fontsRegistered;

    /// <summary>Colour-blind-safe (Okabe–Ito, then Tableau) colours, assigned by method name, never by order.</summary>
    static readonly Dictionary<string, string> MethodColours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["base"] = "#000000", ["random"] = "#999999",
        ["standard"] = "#0072B2", ["r3f"] = "#E69F00", ["r4f"] = "#D55E00", ["smart"] = "#009E73",
        ["freelb"] = "#CC79A7", ["self-ensemble"] = "#56B4E9", ["sda"] = "#F0E442", ["sdv"] = "#8C564B",
    };

    static readonly string[] Spare = ["#17BECF", "#BCBD22", "#7F7F7F", "#1F77B4", "#FF7F0E", "#2CA02C"];

    public static Color ColourOf(string method) =>
        Color.FromHex(MethodColours.TryGetValue(method, out var hex) ? hex : Spare[StableIndex(method) % Spare.Length]);

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        RegisterFonts();
        var plot = new Plot();
        plot.Title(title, size: 15);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>The PNG's resolution over the SVG's layout size: a 900 × 540 figure is a 1800 × 1080 PNG, sharp in print.</summary>
    public const int PngScale = 2;

    /// <summary>
    /// Writes <c>name.svg</c> at <paramref name="width"/> × <paramref name="height"/> and <c>name.png</c>
    /// with the same layout at <see cref="PngScale"/>× the pixels into <paramref name="directory"/>.
    /// </summary>
    public static void Save(Plot plot, string directory, string name, int width = 900, int height = 540)
    {
        Directory.CreateDirectory(directory);
        var png = Path.Combine(directory, name + ".png");
        var svg = Path.Combine(directory, name + ".svg");
        plot.ScaleFactor = 1;
        AtomicFile.Write(svg, temp => plot.SaveSvg(temp, width, height));
        plot.ScaleFactor = PngScale;
        AtomicFile.Write(png, temp => plot.SavePng(temp, width * PngScale, height * PngScale));
        plot.ScaleFactor = 1;
    }

    static void RegisterFonts()
    {
        lock (gate)
        {
            if (fontsRegistered) return;
            Fonts.AddFontFile(FontName, ProjectPaths.Data("fonts", "DejaVuSans.ttf"), bold: false, italic: false);
            Fonts.AddFontFile(FontName, ProjectPaths.Data("fonts", "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            Fonts.Default = FontName;
            fontsRegistered = true;
        }
    }

    static int StableIndex(string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & int.MaxValue;
}
