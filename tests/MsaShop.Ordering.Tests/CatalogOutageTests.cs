using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using MsaShop.Client;
using MsaShop.Harness;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>Ordering cannot price an order without the catalog: it says so with a 503, promptly, and stores nothing.</summary>
public sealed class CatalogOutageTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_catalog_that_refuses_connections_gives_a_503_problem()
    {
        using var closedPort = new ClosedPort();
        await AssertServiceUnavailableAsync(closedPort.Address);
    }

    [Fact]
    public async Task A_catalog_that_accepts_but_never_answers_gives_a_503_problem_not_a_hang()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await blackHole.AcceptTcpClientAsync(TestContext.Current.CancellationToken));
            }
        }, TestContext.Current.CancellationToken);

        await AssertServiceUnavailableAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}"));
        blackHole.Stop();
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task One_dead_catalog_replica_beside_a_live_one_costs_no_order_and_never_opens_the_circuit()
    {
        using var events = new ResilienceEventRecorder(pipeline: "CatalogClient-standard");
        await using var liveCatalog = await StartCatalogStandInAsync();
        using var deadReplica = new ClosedPort();
        await using var ordering = new ServiceFactory<OrderingEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orderingdb"] = await infrastructure.CreateDatabaseAsync("ordering"),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("ordering"),
            // Round robin puts every other attempt on the dead replica; a retry steps around it.
            ["services:catalog:http:0"] = deadReplica.Address.ToString(),
            ["services:catalog:http:1"] = liveCatalog.Urls.Single(),
        });
        using var customer = new ShopClient(ordering.CreateClientFor("olivia"), disposeHttpClient: true);

        // Enough calls for the breaker to judge (its minimum throughput is 10 attempts).
        for (var order = 0; order < 12; order++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await customer.TryPlaceOrderAsync(1, 1)).Status);
        }

        Assert.Contains("OnRetry", events.Names);
        Assert.DoesNotContain("OnCircuitOpened", events.Names);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Orders_placed_together_while_one_catalog_replica_is_dead_or_hung_all_succeed(bool hung)
    {
        using var events = new ResilienceEventRecorder(pipeline: "CatalogClient-standard");
        await using var liveCatalog = await StartCatalogStandInAsync();
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start(backlog: 100);
        using var deadReplica = new ClosedPort();
        var badReplica = hung ? ((IPEndPoint)blackHole.LocalEndpoint).Port : deadReplica.Port;
        await using var ordering = new ServiceFactory<OrderingEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orderingdb"] = await infrastructure.CreateDatabaseAsync("ordering"),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("ordering"),
            ["services:catalog:http:0"] = $"http://127.0.0.1:{badReplica}",
            ["services:catalog:http:1"] = liveCatalog.Urls.Single(),
        });
        using var customer = new ShopClient(ordering.CreateClientFor("olivia"), disposeHttpClient: true);

        // Many shoppers at once: round robin alone sends a shopper's retries back to the bad replica whenever others'
        // calls came in between, and three misses in a row are a 503. Stepped around after its first miss, it costs none.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => customer.TryPlaceOrderAsync(1, 1)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.Status));
        Assert.DoesNotContain("OnCircuitOpened", events.Names);
        blackHole.Stop();
    }

    [Fact]
    public async Task A_catalog_too_slow_for_every_attempt_opens_the_circuit_under_a_steady_trickle_of_orders()
    {
        using var events = new ResilienceEventRecorder(pipeline: "CatalogClient-standard");
        await using var slowCatalog = await StartCatalogStandInAsync(answerAfter: TimeSpan.FromSeconds(5));
        await using var ordering = new ServiceFactory<OrderingEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orderingdb"] = await infrastructure.CreateDatabaseAsync("ordering"),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("ordering"),
            ["services:catalog:http:0"] = slowCatalog.Urls.Single(),
        });
        using var customer = new ShopClient(ordering.CreateClientFor("olivia"), disposeHttpClient: true);

        // A few shoppers at a time, as a shop's orders arrive: each one's last attempt is cut by the 3 s budget. Within
        // the breaker's 10 s they make far more than its 10 attempts, and none succeeds: it must open.
        await Eventually.TrueAsync(async () =>
        {
            var wave = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => customer.TryPlaceOrderAsync(1, 1)));
            Assert.All(wave, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status));
            return events.Names.Contains("OnCircuitOpened");
        }, "the catalog call's circuit to open", TimeSpan.FromSeconds(30));
    }

    /// <summary>A catalog that prices product 1, as GET /api/catalog/items/prices answers.</summary>
    private static async Task<WebApplication> StartCatalogStandInAsync(TimeSpan? answerAfter = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var catalog = builder.Build();
        catalog.MapGet("/api/catalog/items/prices", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(answerAfter ?? TimeSpan.Zero, cancellationToken);
            return new[] { new { id = 1, name = "Mug", price = 5.0m, version = 1L } };
        });
        await catalog.StartAsync(TestContext.Current.CancellationToken);
        return catalog;
    }

    private async Task AssertServiceUnavailableAsync(Uri catalogAddress)
    {
        await using var ordering = new ServiceFactory<OrderingEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orderingdb"] = await infrastructure.CreateDatabaseAsync("ordering"),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("ordering"),
            ["services:catalog:http:0"] = catalogAddress.ToString(),
            ["Ordering:CatalogTimeout"] = "00:00:02",
        });
        using var customer = new ShopClient(ordering.CreateClientFor("olivia"), disposeHttpClient: true);

        var refused = await Assert.ThrowsAsync<ShopApiException>(
            () =>
                customer.PlaceOrderAsync(Orders.Of(1, 1), idempotencyKey: null, accessToken: null, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("Catalog unavailable", refused.Title);
        Assert.Empty(await customer.GetOrdersAsync());
    }
}
