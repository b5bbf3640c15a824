using Microsoft.Extensions.DependencyInjection.Extensions;
using MsaShop.Messaging;
using MsaShop.Payment;
using MsaShop.Payment.Payments;
using MsaShop.Payment.Provider;

namespace Microsoft.Extensions.Hosting;

public static class PaymentServiceExtensions
{
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("paymentdb");
        builder.AddDatabaseMigrations(typeof(PaymentApi).Assembly);
        builder.AddMessaging("payment", bus =>
        {
            bus.AddConsumer<PaymentRequestedConsumer>();
            bus.AddConsumer<PaymentRefundRequestedConsumer>();
            bus.AddConsumer<OrderCompletedConsumer>();
        });

        builder.Services.AddOptions<PaymentProviderOptions>().BindConfiguration(PaymentProviderOptions.SectionName);
        builder.Services.AddSingleton<IPaymentProvider, SimulatedPaymentProvider>();
        builder.Services.AddSingleton<PaymentStore>();
        builder.Services.AddSingleton<PaymentProcessor>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration("Payment:Reconciliation");
        builder.Services.AddHostedService<PaymentReconciliation>();
        return builder;
    }
}
