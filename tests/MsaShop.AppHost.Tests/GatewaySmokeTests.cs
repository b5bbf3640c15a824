using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost (PostgreSQL, Redis and RabbitMQ as containers, every service as a process under
/// DCP) and reads the catalog through the gateway, the way a client would. Needs the container runtime Aspire
/// uses (ASPIRE_CONTAINER_RUNTIME, or whichever of docker and podman answers when it is unset) and, where no
/// registry answers, MsaShop's own images (MSASHOP_CONTAINER_IMAGES=bookworm): eng/test.sh provides both.
/// </summary>
public sealed class GatewaySmokeTests
{
    // Generous: where a registry answers, the first run pulls the PostgreSQL, Redis and RabbitMQ images.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_catalog_answers_through_the_gateway()
    {
        string[] runtimes = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured
            ? [configured]
            : ["docker", "podman"];
        var answers = await Task.WhenAll(runtimes.Select(runtime => AnswersAsync(runtime, "info")));
        Assert.True(answers.Contains(true), $"no container runtime answers '<runtime> info' (tried {string.Join(", ", runtimes)})");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var ct = timeout.Token;

        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>(ct);
        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", ct);

        using var gateway = app.CreateHttpClient("gateway");
        using var response = await gateway.GetAsync(new Uri("/api/catalog/items?pageSize=5", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(5, page.RootElement.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, page.RootElement.GetProperty("items").GetArrayLength());
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
