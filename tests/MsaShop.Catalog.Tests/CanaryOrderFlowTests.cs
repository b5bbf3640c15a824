using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Messaging;
using MsaShop.Testing;

namespace MsaShop.Catalog.Tests;

/// <summary>The rule for canaries and the order flow (docs/canary-blue-green.md): a canary serves HTTP only.</summary>
public sealed class CanaryOrderFlowTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_canary_beside_the_stable_release_neither_consumes_saga_events_nor_dispatches_the_outbox()
    {
        // Stable and canary share catalogdb, the cache and the broker, as the AppHost wires them.
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_canary");
        await using var stable = new ServiceFactory<Program>(settings);
        await using var canary = new ServiceFactory<Program>(new Dictionary<string, string?>(settings) { ["CATALOG_VERSION"] = "canary" });
        await WaitUntilHealthyAsync(stable);
        await WaitUntilHealthyAsync(canary);

        // The canary has no bus: no consumer on the catalog queue, no outbox dispatcher, no reconciliation.
        Assert.Null(canary.Services.GetService<IBus>());
        Assert.DoesNotContain(canary.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            service => service.GetType().Assembly == typeof(IOutbox).Assembly || service is PeriodicBatchService);
        Assert.Equal(1, await ConsumersOfAsync(settings, "catalog"));

        // It still serves the catalog.
        using var client = canary.CreateClient();
        using var response = await client.GetAsync("/api/catalog/items/1", Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal("canary", Assert.Single(response.Headers.GetValues("X-Catalog-Version")));
    }

    private static async Task WaitUntilHealthyAsync(ServiceFactory<Program> service)
    {
        using var client = service.CreateClient();
        await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>("/health", Ct)).GetProperty("status").GetString(),
            status => status == "Healthy", "the instance to report Healthy");
    }

    private async Task<int> ConsumersOfAsync(Dictionary<string, string?> settings, string queue)
    {
        var virtualHost = RabbitMqConnection.Parse(settings["ConnectionStrings:messaging"]!).VirtualHost;
        var listing =
            await infrastructure.RabbitMq.CtlAsync(Ct, "list_queues", "-p", virtualHost, "--no-table-headers", "name", "consumers");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 2 && columns[0] == queue)
            .Select(columns => int.Parse(columns[1], System.Globalization.CultureInfo.InvariantCulture))
            .Single();
    }
}
