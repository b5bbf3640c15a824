using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Client;

namespace MsaShop.LoadGeneration.Tests;

public sealed class OpenLoopScheduleTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Arrivals_keep_their_pace_while_a_slow_server_keeps_requests_waiting()
    {
        var slowness = TimeSpan.FromMilliseconds(500);
        await using var server = await SlowServerAsync(slowness);
        using var http = ShopClient.CreateHttpClient(server.Address, TimeSpan.FromSeconds(30));
        var startedAt = new ConcurrentBag<TimeSpan>();
        var latencies = new ConcurrentBag<TimeSpan>();
        var clock = Stopwatch.StartNew();

        // 50 arrivals a second for 2 s: a closed loop of 10 callers would need 5 s for these 100 requests.
        var outcome = await OpenLoopSchedule.RunAsync(OpenLoopSchedule.Arrivals(50, TimeSpan.FromSeconds(2)), async (_, due) =>
        {
            startedAt.Add(clock.Elapsed);
            using var response = await http.GetAsync("/", Cancellation);
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(due));
        }, maxInFlight: 1_000, Cancellation);

        Assert.Equal(100, outcome.Offered);
        Assert.Equal(100, outcome.Started);
        Assert.Equal(0, outcome.Dropped);
        Assert.Equal(100, latencies.Count);
        Assert.All(latencies, l => Assert.True(l >= slowness, $"{l} is less than the server's {slowness}"));
        // Requests overlapped: at 50 a second, about 25 wait on the server at any time.
        Assert.True(outcome.MaxInFlight >= 15, $"peak in flight {outcome.MaxInFlight}");
        // The last arrival was due at 1.98 s; a busy machine may start it a little late, never a closed loop's seconds late.
        Assert.True(startedAt.Max() < TimeSpan.FromSeconds(3.5), $"the last request started at {startedAt.Max()}");
    }

    [Fact]
    public async Task No_arrival_starts_before_it_is_due()
    {
        // 1,000 a second: every gap is a millisecond, shorter than the timer's resolution.
        var early = new ConcurrentBag<TimeSpan>();
        var outcome = await OpenLoopSchedule.RunAsync(OpenLoopSchedule.Arrivals(1_000, TimeSpan.FromSeconds(1)), (_, due) =>
        {
            var startedAt = Stopwatch.GetTimestamp();
            if (startedAt < due)
            {
                early.Add(Stopwatch.GetElapsedTime(startedAt, due));
            }
            return Task.CompletedTask;
        }, maxInFlight: 1_000, Cancellation);

        Assert.Equal(1_000, outcome.Started);
        Assert.True(early.IsEmpty, $"{early.Count} arrivals started early, up to {(early.IsEmpty ? TimeSpan.Zero : early.Max())}");
    }

    [Fact]
    public async Task An_arrival_beyond_the_in_flight_limit_is_dropped_not_queued()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = OpenLoopSchedule.RunAsync(OpenLoopSchedule.Arrivals(100, TimeSpan.FromSeconds(0.5)), (_, _) => release.Task,
            maxInFlight: 10, Cancellation);
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        release.SetResult();
        var outcome = await run;

        Assert.Equal(50, outcome.Offered);
        Assert.Equal(10, outcome.Started);
        Assert.Equal(40, outcome.Dropped);
        Assert.Equal(10, outcome.MaxInFlight);
    }

    [Fact]
    public void Arrivals_are_evenly_spaced_or_a_poisson_process_of_the_same_rate()
    {
        var even = OpenLoopSchedule.Arrivals(200, TimeSpan.FromSeconds(3)).ToList();
        Assert.Equal(600, even.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5), even[1] - even[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(2995), even[^1]);

        var poisson = OpenLoopSchedule.Arrivals(200, TimeSpan.FromSeconds(100), poisson: true, new Random(7)).ToList();
        Assert.InRange(poisson.Count, 19_400, 20_600);
        var gaps = poisson.Zip(poisson.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.InRange(gaps.Average(), 4.85, 5.15);
        // Exponential gaps: about 1 in e of them longer than the mean, unlike an even schedule's none.
        Assert.InRange(gaps.Count(g => g > 5) / (double)gaps.Count, 0.34, 0.40);
    }

    private static async Task<SlowServer> SlowServerAsync(TimeSpan slowness)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", async () =>
        {
            // Slow by the Stopwatch the latencies are measured with, which a timer alone does not promise.
            await OpenLoopSchedule.DelayUntilAsync(Stopwatch.GetTimestamp() + (long)(slowness.TotalSeconds * Stopwatch.Frequency),
                CancellationToken.None);
            return Results.Text("slow");
        });
        await app.StartAsync(Cancellation);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SlowServer(app, new Uri(address));
    }

    private sealed record SlowServer(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
