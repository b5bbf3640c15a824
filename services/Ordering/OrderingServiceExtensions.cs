using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MsaShop.Ordering;
using MsaShop.Ordering.Apis;
using MsaShop.Ordering.Catalog;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Saga;

namespace Microsoft.Extensions.Hosting;

public static class OrderingServiceExtensions
{
    public static IHostApplicationBuilder AddOrderingServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("orderingdb");
        builder.AddDatabaseMigrations(typeof(OrderingApi).Assembly);
        builder.AddMessaging("ordering", bus =>
        {
            bus.AddConsumer<StockReservedConsumer>();
            bus.AddConsumer<StockReservationFailedConsumer>();
            bus.AddConsumer<PaymentSucceededConsumer>();
            bus.AddConsumer<PaymentFailedConsumer>();
            bus.AddConsumer<PaymentRefundedConsumer>();
        });

        builder.Services.AddOptions<OrderingOptions>().BindConfiguration(OrderingOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<OrderSaga>();
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddHostedService<OrderTimeoutService>();

        // Service discovery and the standard resilience pipeline come with every client (ServiceDefaults).
        builder.Services.AddHttpClient<CatalogClient>((services, client) =>
        {
            client.BaseAddress = new Uri("https+http://catalog");
            client.Timeout = services.GetRequiredService<IOptions<OrderingOptions>>().Value.CatalogTimeout;
        });
        builder.Services.AddOpenApi();
        return builder;
    }
}
