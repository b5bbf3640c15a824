using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MsaShop.Testing.Aspire;

/// <summary>
/// The whole shop as the AppHost describes it, started by Aspire.Hosting.Testing: PostgreSQL, Redis and RabbitMQ as
/// fresh containers (a session lifetime, removed when it stops), every service a process under DCP, ready once every
/// replica of every service is healthy. Needs the container runtime Aspire uses (ASPIRE_CONTAINER_RUNTIME, or whichever
/// of docker and podman answers when it is unset) and, where no registry answers, MsaShop's own images
/// (MSASHOP_CONTAINER_IMAGES=bookworm): eng/test.sh provides both.
/// </summary>
public sealed class AspireShop : IAsyncDisposable
{
    /// <summary>On the command line, so that it wins over whatever the environment says (F5 keeps them).</summary>
    public const string SessionLifetime = "--MSASHOP_CONTAINER_LIFETIME=session";

    private AspireShop(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    /// <summary>A resource of the started application model, as the AppHost declared it.</summary>
    public T Resource<T>(string name)
        where T : IResource =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<T>().Single(resource => resource.Name == name);

    /// <summary>Starts the AppHost <typeparamref name="TAppHost"/>, after <paramref name="configure"/> has changed its model.</summary>
    /// <param name="withDashboard">The Aspire dashboard too, as on F5: on loopback ports of its own, behind a browser token.</param>
    public static async Task<AspireShop> StartAsync<TAppHost>(
        bool withDashboard, Action<IDistributedApplicationTestingBuilder> configure, TimeSpan timeout, CancellationToken cancellationToken)
        where TAppHost : class
    {
        string[] runtimes = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured
            ? [configured]
            : ["docker", "podman"];
        var answers = await Task.WhenAll(runtimes.Select(runtime => AnswersAsync(runtime, "info")));
        if (!answers.Contains(true))
        {
            throw new InvalidOperationException($"no container runtime answers '<runtime> info' (tried {string.Join(", ", runtimes)})");
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var ct = bounded.Token;

        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = withDashboard }, [SessionLifetime], ct);
        configure(appHost);
        var app = await appHost.BuildAsync(ct);
        try
        {
            await app.StartAsync(ct);
            await app.WaitForEveryServiceAsync(ct);
            await app.WaitUntilTheGatewayFindsEveryServiceAsync(ct);
            return new AspireShop(app);
        }
        catch
        {
            // Stops whatever started and waits for DCP to remove it.
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops every service and container, and waits for DCP to remove them.</summary>
    public ValueTask DisposeAsync() => App.DisposeAsync();

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
