using System.Diagnostics;
using MsaShop.Testing;

namespace MsaShop.LoadGeneration.Tests;

/// <summary>A load generator must never run unbounded: rate and duration are required, and limited.</summary>
public sealed class LoadBoundsTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(-5, 10)]
    [InlineData(LoadProfile.MaxRate + 1, 10)]
    [InlineData(100, 0)]
    [InlineData(100, 3_001)]
    public void A_profile_without_a_bounded_rate_and_duration_is_refused(double rate, double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadProfile(rate, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_mix_is_read_from_weights_and_picks_by_them()
    {
        var mix = OperationMix.Parse("browse=1, item=2,order=1");
        Assert.Equal(new OperationMix(1, 0, 2, 1), mix);
        Assert.Equal(ShopOperation.Browse, mix.Pick(0.1));
        Assert.Equal(ShopOperation.ReadItem, mix.Pick(0.26));
        Assert.Equal(ShopOperation.ReadItem, mix.Pick(0.74));
        Assert.Equal(ShopOperation.PlaceOrder, mix.Pick(0.76));
        Assert.Equal(OperationMix.OrdersOnly, OperationMix.Parse("orders"));
        Assert.Throws<FormatException>(() => OperationMix.Parse("checkout=1"));
        Assert.Throws<FormatException>(() => OperationMix.Parse("order=0"));
    }

    [Theory]
    [InlineData("--rate 10", "--duration")]
    [InlineData("--duration 30s", "--rate")]
    [InlineData("--rate 10 --duration 2h", "duration")]
    public async Task The_command_refuses_to_start_without_a_bounded_rate_and_duration(string arguments, string named)
    {
        var dll = RepositoryRoot.Combine("bench", "MsaShop.LoadGenerator", "bin", "Release", "net10.0", "MsaShop.LoadGenerator.dll");
        // Port 9 (discard) on loopback: nothing listens, so a run that did start would fail differently.
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--url", "http://127.0.0.1:9", .. arguments.Split(' ')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(named, error + await output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("arrivals at", await output, StringComparison.Ordinal);
    }
}
