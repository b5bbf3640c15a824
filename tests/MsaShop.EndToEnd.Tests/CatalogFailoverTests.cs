using System.Diagnostics;
using System.Net;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>
/// Two catalog replicas behind one address: losing one is not an outage, neither for the gateway's
/// clients nor for ordering's own calls. Under Aspire the address is DCP's proxy, which spreads
/// connections over the replicas still running (docs/service-discovery.md).
/// </summary>
public sealed class CatalogFailoverTests(ShopFixture fixture)
{
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(45);
    private const int ConsecutiveSuccessesRequired = 30;
    private static readonly TimeSpan RequestInterval = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task Catalog_keeps_answering_after_a_replica_is_killed()
    {
        var ct = TestContext.Current.CancellationToken;
        var replicas = fixture.CatalogReplicas;
        Assert.Equal(2, replicas.HealthyCount());

        var killed = await replicas.KillOneAsync(ct);
        try
        {
            Assert.Equal(1, replicas.HealthyCount());

            // Requests alternate over two replicas: 30 successes in a row are only likely once nothing
            // is sent to the dead one any more (2^-30 otherwise).
            var (consecutive, failures) = await CountSuccessesAsync();
            Assert.True(consecutive >= ConsecutiveSuccessesRequired,
                $"only {consecutive} catalog requests in a row succeeded within {FailoverTimeout} after killing {killed} " +
                    $"({failures} failed)");

            // Ordering's own calls to the catalog (prices at order time) also find the surviving replica.
            var product = await fixture.Api.CreateProductAsync(price: 3m);
            var token = Shoppers.CustomerToken(Shoppers.NewCustomer());
            var orderId = await fixture.Api.PlaceOrderAsync(token, product.Id, 1, "tok_visa");
            Assert.Equal("Completed", (await fixture.Api.WaitForOutcomeAsync(token, orderId)).Status);
        }
        finally
        {
            await replicas.StartAsync(killed, ct);
            await fixture.WaitUntilTheGatewayFindsEveryServiceAsync();
        }
        Assert.Equal(2, replicas.HealthyCount());
    }

    private async Task<(int Consecutive, int Failures)> CountSuccessesAsync()
    {
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());
        var watch = Stopwatch.StartNew();
        int consecutive = 0, failures = 0;
        while (consecutive < ConsecutiveSuccessesRequired && watch.Elapsed < FailoverTimeout)
        {
            using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/catalog/items?pageSize=5", token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                consecutive++;
            }
            else
            {
                consecutive = 0;
                failures++;
            }
            // Paced below the gateway's per-client rate limit (100 per 10 s), so a 429 never counts as a failure.
            await Task.Delay(RequestInterval);
        }
        return (consecutive, failures);
    }
}
