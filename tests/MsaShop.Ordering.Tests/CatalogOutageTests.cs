using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using MsaShop.LocalInfrastructure;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>Ordering cannot price an order without the catalog: it says so with a 503, promptly, and stores nothing.</summary>
public sealed class CatalogOutageTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_catalog_that_refuses_connections_gives_a_503_problem()
    {
        var closedPort = FreePort.Next();
        await AssertServiceUnavailableAsync(new Uri($"http://127.0.0.1:{closedPort}"));
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

    private async Task AssertServiceUnavailableAsync(Uri catalogAddress)
    {
        await using var ordering = new ServiceFactory<OrderingApi>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orderingdb"] = await infrastructure.CreateDatabaseAsync("ordering"),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("ordering"),
            ["services:catalog:http:0"] = catalogAddress.ToString(),
            ["Ordering:CatalogTimeout"] = "00:00:02",
        });
        using var customer = ordering.CreateClientFor("olivia");

        using var response = await customer.PlaceOrderAsync([new(1, 1)]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var orders = await customer.GetFromJsonAsync<List<OrderDto>>("/api/orders", TestContext.Current.CancellationToken);
        Assert.Empty(orders!);
    }
}
