using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>Stops the one RabbitMQ of this test assembly, so it runs alone.</summary>
[CollectionDefinition(nameof(BrokerOutageTests), DisableParallelization = true)]
public sealed class RunsAlone;

[Collection(nameof(BrokerOutageTests))]
public sealed class BrokerOutageTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Orders_placed_while_the_broker_is_down_all_finish_once_it_is_back()
    {
        await using var shop = await Shop.StartAsync(infrastructure);
        var product = await shop.CreateProductAsync(price: 4m, stock: 100);
        using var customer = shop.Customer("paul");
        Assert.Equal("Completed", (await customer.WaitUntilFinishedAsync(await customer.PlaceAcceptedOrderAsync(product, 1))).Status);

        await infrastructure.RabbitMq.StopAsync();
        List<Guid> placed;
        try
        {
            // The outbox takes every order while the broker is away: the shopper still gets a 202.
            placed = [];
            foreach (var token in new[] { "tok_visa", "tok_visa", "tok_decline", "tok_visa" })
            {
                placed.Add(await customer.PlaceAcceptedOrderAsync(product, 2, token));
            }

            Assert.All(await Task.WhenAll(placed.Select(customer.GetOrderAsync)), o => Assert.Equal("Submitted", o.Status));
        }
        finally
        {
            await infrastructure.RabbitMq.StartAsync(TestContext.Current.CancellationToken);
        }

        var finished = await Task.WhenAll(placed.Select(id => customer.WaitUntilFinishedAsync(id, TimeSpan.FromMinutes(2))));
        Assert.Equal(["Completed", "Completed", "Cancelled", "Completed"], finished.Select(o => o.Status));
        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 100 - 1 - 6,
            "the declined order's stock to be released");
    }
}
