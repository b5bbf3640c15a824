using System.Xml.Linq;
using MsaShop.Chaos.Report;

namespace MsaShop.LoadGeneration.Tests;

/// <summary>The chaos runner's chart: each second's count lands where the axes say, the fault's seconds are shaded.</summary>
public sealed class TimelineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTime Start = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_seconds_count_is_drawn_at_its_second_and_the_fault_is_shaded_across_its_seconds()
    {
        // 9 s of load, charted for 10; the fault from 4 s to 6 s; 2 orders accepted in second 3, 10 failed reads in second 5.
        List<RequestOutcome> outcomes =
        [
            .. Enumerable.Repeat(new RequestOutcome(ShopOperation.PlaceOrder, At(3.2), TimeSpan.FromMilliseconds(50), 202), 2),
            .. Enumerable.Repeat(new RequestOutcome(ShopOperation.ReadItem, At(5.9), TimeSpan.FromSeconds(2), null), 10),
            new RequestOutcome(ShopOperation.PlaceOrder, At(7.5), TimeSpan.FromMilliseconds(50), 503),
        ];
        var timeline = ScenarioTimeline.Of("3. payment", Start, At(10), outcomes, [At(8.1), At(8.7), At(12)], At(4), At(6), At(9));

        Assert.Equal([0, 0, 0, 2, 0, 0, 0, 0, 0, 0], timeline.Accepted);
        Assert.Equal([0, 0, 0, 0, 0, 10, 0, 1, 0, 0], timeline.Errors);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 2, 0], timeline.Completed);

        var svg = XDocument.Parse(TimelineChart.Render(timeline)).Root!;
        // The plot is 648 px wide from x=56 (64.8 px a second) and 228 px high from y=44; the axis tops at 10.
        Assert.Equal("282.8,226.4", Points(svg, "accepted")[3]);
        Assert.Equal("412.4,44", Points(svg, "errors")[5]);
        Assert.Equal("88.4,272", Points(svg, "errors")[0]);
        var fault = svg.Elements(Svg + "rect").Single(r => (string?)r.Attribute("class") == "fault");
        Assert.Equal(("315.2", "129.6"), ((string)fault.Attribute("x")!, (string)fault.Attribute("width")!));
        var loadEnd = svg.Elements(Svg + "line").Single(l => (string?)l.Attribute("class") == "load-end");
        Assert.Equal("639.2", (string)loadEnd.Attribute("x1")!);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 10)]
    [InlineData(13, 20)]
    [InlineData(40, 50)]
    [InlineData(101, 200)]
    public void The_axis_tops_at_one_two_or_five_times_a_power_of_ten(double largest, double top) =>
        Assert.Equal(top, TimelineChart.AxisTop(largest));

    private static DateTime At(double seconds) => Start.AddSeconds(seconds);

    private static string[] Points(XElement svg, string series) =>
        ((string)svg.Elements(Svg + "polyline").Single(p => (string?)p.Attribute("class") == series).Attribute("points")!).Split(' ');
}
