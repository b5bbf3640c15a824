using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MsaShop.Ordering;
using MsaShop.Ordering.Admission;
using MsaShop.Ordering.Api;
using MsaShop.Ordering.Catalog;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Saga;

namespace Microsoft.Extensions.Hosting;

public static class OrderingServiceExtensions
{
    public static IHostApplicationBuilder AddOrderingServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("orderingdb");
        builder.AddDatabaseMigrations(typeof(OrderingEntryPoint).Assembly);
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
        builder.Services.AddOptions<OrderAdmissionOptions>().BindConfiguration(OrderAdmissionOptions.SectionName);
        builder.Services.AddSingleton<OrderAdmission>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OrderAdmission>());

        // Service discovery comes with every client (ServiceDefaults); the catalog call replaces the standard resilience
        // handler's defaults with numbers that fit an order's budget. Plain http: an unconfigured name then passes
        // through to DNS (a Kubernetes Service), where discovery would send https+http:// to https.
        // Each attempt steps around a catalog instance that just refused or timed out, so a retry never lands on it again.
        var catalogClient = builder.Services.AddHttpClient<CatalogClient>(client => client.BaseAddress = new Uri("http://catalog"));
        catalogClient.ReplaceStandardResilienceHandler()
            .Configure((resilience, services) =>
                CatalogCallResilience.Configure(resilience, services.GetRequiredService<IOptions<OrderingOptions>>().Value.CatalogTimeout));
        catalogClient.StepAroundFailingInstances();
        builder.AddDefaultOpenApi();
        return builder;
    }
}
