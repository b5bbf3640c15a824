using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost (PostgreSQL, Redis and RabbitMQ as containers, every service as a process) and
/// reads the catalog through the gateway, the way a client would. Needs a container runtime.
/// </summary>
public sealed class GatewaySmokeTests
{
    // Generous: the first run pulls the PostgreSQL, Redis and RabbitMQ images.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_catalog_answers_through_the_gateway()
    {
        if (!await DockerIsRunningAsync())
        {
            Assert.Skip("No Docker engine answers here; the AppHost needs one for its PostgreSQL, Redis and RabbitMQ containers.");
        }

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
        Assert.Equal(JsonValueKind.Array, page.RootElement.GetProperty("items").ValueKind);
    }

    private static async Task<bool> DockerIsRunningAsync()
    {
        var info = new ProcessStartInfo("docker", "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var docker = Process.Start(info);
            if (docker is null)
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                // Drain both pipes so a chatty `docker info` cannot block on a full buffer.
                await Task.WhenAll(
                    docker.StandardOutput.ReadToEndAsync(timeout.Token),
                    docker.StandardError.ReadToEndAsync(timeout.Token),
                    docker.WaitForExitAsync(timeout.Token));
                return docker.ExitCode == 0;
            }
            catch (OperationCanceledException)
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }
        }
        catch (Win32Exception)
        {
            // No docker executable on PATH.
            return false;
        }
    }
}
