using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Testing.Aspire;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// The whole AppHost, started once for the tests that need a running shop: PostgreSQL, Redis and RabbitMQ as fresh
/// containers (a session lifetime, removed when it stops), every service a process under DCP, and the Aspire
/// dashboard receiving their telemetry. Needs the container runtime Aspire uses (ASPIRE_CONTAINER_RUNTIME, or
/// whichever of docker and podman answers when it is unset) and, where no registry answers, MsaShop's own images
/// (MSASHOP_CONTAINER_IMAGES=bookworm): eng/test.sh provides both.
/// </summary>
public sealed class StartedShop : IAsyncLifetime
{
    public const string Collection = "started shop";

    /// <summary>On the command line, so that it wins over whatever the environment says.</summary>
    public const string SessionLifetime = "--MSASHOP_CONTAINER_LIFETIME=session";

    // Generous: where a registry answers, the first run pulls the PostgreSQL, Redis and RabbitMQ images; the dashboard
    // starts first; a loaded two-core machine took over 5 minutes to report the gateway healthy.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(10);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the shop has not started");

    /// <summary>A resource of the started application model, as the AppHost declared it.</summary>
    public T Resource<T>(string name)
        where T : IResource =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<T>().Single(resource => resource.Name == name);

    public async ValueTask InitializeAsync()
    {
        string[] runtimes = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured
            ? [configured]
            : ["docker", "podman"];
        var answers = await Task.WhenAll(runtimes.Select(runtime => AnswersAsync(runtime, "info")));
        Assert.True(answers.Contains(true), $"no container runtime answers '<runtime> info' (tried {string.Join(", ", runtimes)})");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var ct = timeout.Token;

        // With its dashboard, as on F5: on loopback ports of its own, behind a browser token of its own.
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, [SessionLifetime], ct);
        _app = await appHost.BuildAsync(ct);
        await _app.StartAsync(ct);
        await _app.WaitForEveryServiceAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            // Stops every service and container, and waits for DCP to remove them.
            await _app.DisposeAsync();
        }
    }

    /// <summary>True when <c>&lt;runtime&gt; &lt;command&gt;</c> exits with 0 within 30 seconds.</summary>
    private static async Task<bool> AnswersAsync(string runtime, string command)
    {
        var start = new ProcessStartInfo(runtime, command) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                // Drain both pipes so a chatty `info` cannot block on a full buffer.
                await Task.WhenAll(
                    process.StandardOutput.ReadToEndAsync(timeout.Token),
                    process.StandardError.ReadToEndAsync(timeout.Token),
                    process.WaitForExitAsync(timeout.Token));
                return process.ExitCode == 0;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}

/// <summary>The test classes that share one <see cref="StartedShop"/>.</summary>
[CollectionDefinition(StartedShop.Collection)]
public sealed class StartedShopDefinition : ICollectionFixture<StartedShop>;
