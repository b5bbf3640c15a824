using System.Globalization;
using System.Net;
using System.Text;
using MsaShop.Chaos.Scenarios;

namespace MsaShop.Chaos.Report;

/// <summary>
/// A <see cref="ScenarioTimeline"/> as a plain SVG line chart: one point per second at the middle of its second,
/// the fault's seconds shaded, the end of the load dashed, both axes labelled. Hand-written SVG: any browser or Markdown viewer shows it.
/// </summary>
public static class TimelineChart
{
    public const double Width = 720, Height = 320, Left = 56, Right = 16, Top = 44, Bottom = 48;

    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    private static readonly int[] NiceSteps = [1, 2, 5, 10];

    private static readonly (string Name, string Label, string Colour, Func<ScenarioTimeline, IReadOnlyList<int>> Series)[] Lines =
    [
        ("accepted", "orders accepted/s", "#1f77b4", t => t.Accepted),
        ("completed", "orders completed/s", "#2ca02c", t => t.Completed),
        ("errors", "requests failed or refused/s", "#d62728", t => t.Errors),
    ];

    /// <summary>Writes the scenario's chart as chaos-&lt;name&gt;.svg into <paramref name="directory"/>; returns its path.</summary>
    public static string WriteTo(string directory, ScenarioResult result)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"chaos-{result.Scenario.Name}.svg");
        File.WriteAllText(path, Render(result.Timeline));
        return path;
    }

    public static string Render(ScenarioTimeline timeline)
    {
        var seconds = Math.Max(timeline.Seconds, 1);
        var top = AxisTop(Lines.SelectMany(line => line.Series(timeline)).DefaultIfEmpty(0).Max());
        double X(double second) => Left + second * PlotWidth / seconds;
        double Y(double value) => Top + PlotHeight * (1 - value / top);
        var (bottom, right) = (Height - Bottom, Width - Right);

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{N(Width)}" height="{N(Height)}" font-family="sans-serif" font-size="12">
            <rect width="{N(Width)}" height="{N(Height)}" fill="white"/>
            """);
        Text(svg, Left, 18, timeline.Title, """font-size="14" font-weight="bold" """);
        var faultFrom = Math.Clamp(timeline.FaultStart, 0, seconds);
        var faultTo = Math.Clamp(timeline.FaultEnd, faultFrom, seconds);
        svg.AppendLine(CultureInfo.InvariantCulture, $"""
            <rect class="fault" x="{N(X(faultFrom))}" y="{N(Top)}" width="{N(X(faultTo) - X(faultFrom))}" height="{N(PlotHeight)}"
             fill="#f4b183" fill-opacity="0.35"/>
            """);
        Text(svg, X(faultFrom) + 3, Top + 14, "fault", """fill="#a0522d" """);
        var loadEnd = X(Math.Clamp(timeline.LoadEnd, 0, seconds));
        Line(svg, loadEnd, Top, loadEnd, bottom, "#555", attributes: """class="load-end" stroke-dasharray="4 3" """);
        Text(svg, loadEnd - 3, Top + 28, "load stops", """text-anchor="end" fill="#555" """);

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = top * tick / 4;
            Line(svg, Left, Y(value), right, Y(value), "#ddd");
            Text(svg, Left - 6, Y(value) + 4, N(value), """text-anchor="end" """);
        }
        for (var second = 0; second <= seconds; second += seconds <= 60 ? 10 : 20)
        {
            Line(svg, X(second), bottom, X(second), bottom + 4, "black");
            Text(svg, X(second), bottom + 17, N(second), """text-anchor="middle" """);
        }
        Line(svg, Left, Top, Left, bottom, "black");
        Line(svg, Left, bottom, right, bottom, "black");
        Text(svg, Left + PlotWidth / 2, Height - 8, "seconds since the load started", """text-anchor="middle" """);
        svg.AppendLine(CultureInfo.InvariantCulture,
            $"""<text transform="translate(16,{N(Top + PlotHeight / 2)}) rotate(-90)" text-anchor="middle">per second</text>""");

        var legendX = Left + 40;
        foreach (var (name, label, colour, series) in Lines)
        {
            var points = string.Join(' ', series(timeline).Select((count, second) => $"{N(X(second + 0.5))},{N(Y(count))}"));
            svg.AppendLine(CultureInfo.InvariantCulture,
                $"""<polyline class="{name}" points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/>""");
            Line(svg, legendX, 32, legendX + 18, 32, colour, width: 3);
            Text(svg, legendX + 22, 36, label);
            legendX += 28 + label.Length * 6.5;
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>The y axis' top: the largest value rounded up to 1, 2 or 5 times a power of ten (at least 1).</summary>
    public static double AxisTop(double largest)
    {
        if (largest <= 1)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(largest)));
        return NiceSteps.Select(f => f * power).First(candidate => candidate >= largest);
    }

    private static void Line(StringBuilder svg, double x1, double y1, double x2, double y2, string colour, double width = 1,
        string attributes = "") =>
        svg.AppendLine(CultureInfo.InvariantCulture,
            $"""<line x1="{N(x1)}" y1="{N(y1)}" x2="{N(x2)}" y2="{N(y2)}" stroke="{colour}" stroke-width="{N(width)}" {attributes}/>""");

    private static void Text(StringBuilder svg, double x, double y, string text, string attributes = "") =>
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{N(y)}" {attributes}>{WebUtility.HtmlEncode(text)}</text>""");

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
