using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;

namespace MsaShop.Ordering.Tests;

/// <summary>No MsaShop process calls anything outside the resources it is configured with.</summary>
public sealed class VendorTelemetryTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    [Fact]
    public void No_service_bus_reports_usage_to_MassTransit()
    {
        var shop = fixture.Shop;
        foreach (var services in new[] { shop.Catalog.Services, shop.Ordering.Services, shop.Payment!.Services })
        {
            // MassTransit's tracker posts to its vendor's server after the bus starts, unless this is false.
            var tracker = Assert.IsType<UsageTracker>(services.GetRequiredService<IUsageTracker>());
            Assert.False(tracker.Enabled);
        }
    }
}
