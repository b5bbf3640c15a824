using MsaShop.Catalog;
using MsaShop.Catalog.Api;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Stock;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.PatternLab;

namespace Microsoft.Extensions.Hosting;

public static class CatalogServiceExtensions
{
    /// <summary>The catalog's own database, its Redis cache, and (except on a canary) its part of the order saga.</summary>
    public static IHostApplicationBuilder AddCatalogServices(this IHostApplicationBuilder builder)
    {
        // Database per service: catalogdb belongs to the catalog alone.
        builder.AddServiceDatabase("catalogdb");
        builder.AddDatabaseMigrations(typeof(CatalogItemRepository).Assembly);
        builder.Services.AddHostedService<CatalogSeeder>();

        // Items cached in each instance's memory and in Redis (any IDistributedCache would do for the second level).
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        var catalogOptions = builder.Configuration.GetSection(CatalogOptions.SectionName).Get<CatalogOptions>() ?? new CatalogOptions();
        builder.AddRedisHybridCache("cache", catalogOptions.ItemLocalCacheDuration)
            .AddSerializer<CachedCatalogItem, CachedCatalogItemSerializer>();
        // Development only: slow reads on demand, to watch ordering's timeouts and circuit breaker (docs/pattern-lab.md).
        builder.AddPatternLab(PatternLabKnob.Milliseconds("read-latency-ms", "Added to every catalog item read on this instance.",
            $"{CatalogOptions.SectionName}:{nameof(CatalogOptions.ReadLatency)}", maximum: 30_000));
        builder.Services.AddSingleton<CatalogItemRepository>();
        builder.Services.AddSingleton<CatalogItemCache>();

        var release = ReleaseTrack.From(builder.Configuration);
        builder.Services.AddSingleton(release);
        if (release.TakesPartInTheOrderFlow)
        {
            builder.AddStockSaga();
        }

        // Source-generated JSON first; reflection stays behind it for anything the context does not list (ProblemDetails).
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ShopApiJsonContext.Default));
        builder.AddDefaultOpenApi();
        return builder;
    }

    /// <summary>The catalog's part of the order saga: the stock consumers, the outbox, the reservation reconciliation.</summary>
    private static void AddStockSaga(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StockLedger>();
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration("Catalog:Reconciliation");
        builder.Services.AddHostedService<ReservationReconciliation>();
        // A settled reservation remembers that its order's end was applied; like the inbox, it need only outlive redelivery.
        builder.Services.AddRetentionRule("stock_reservations", "stock_reservations_settled", """
            WITH settled AS (
                SELECT order_id FROM stock_reservations
                WHERE status <> 'reserved' AND updated_at < now() - @retention
                ORDER BY updated_at LIMIT @batchSize FOR UPDATE SKIP LOCKED),
            lines AS (DELETE FROM stock_reservation_lines WHERE order_id IN (SELECT order_id FROM settled))
            DELETE FROM stock_reservations WHERE order_id IN (SELECT order_id FROM settled)
            """);
        builder.AddMessaging("catalog", bus =>
        {
            bus.AddConsumer<OrderSubmittedConsumer>();
            bus.AddConsumer<OrderCancelledConsumer>();
            bus.AddConsumer<OrderCompletedConsumer>();
        });
    }
}
