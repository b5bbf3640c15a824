using Microsoft.Extensions.DependencyInjection.Extensions;
using MsaShop.Messaging;
using MsaShop.Payment;
using MsaShop.Payment.Payments;
using MsaShop.Payment.Provider;
using MsaShop.PatternLab;

namespace Microsoft.Extensions.Hosting;

public static class PaymentServiceExtensions
{
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("paymentdb");
        builder.AddDatabaseMigrations(typeof(PaymentEntryPoint).Assembly);
        builder.AddMessaging("payment", bus =>
        {
            bus.AddConsumer<PaymentRequestedConsumer>();
            bus.AddConsumer<PaymentRefundRequestedConsumer>();
            bus.AddConsumer<OrderCompletedConsumer>();
        });

        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.SectionName);
        builder.Services.AddOptions<PaymentProviderOptions>().BindConfiguration(PaymentProviderOptions.SectionName);
        // Development only: a slow or failing provider on demand, to watch retries and redelivery (docs/pattern-lab.md).
        builder.AddPatternLab(
            PatternLabKnob.Milliseconds("provider-latency-ms", "How long each call to the simulated provider takes.",
                $"{PaymentProviderOptions.SectionName}:{nameof(PaymentProviderOptions.Latency)}", maximum: 30_000),
            PatternLabKnob.Percentage("provider-failure-percent",
                "Share of provider calls that fail transiently (half of them after charging).",
                $"{PaymentProviderOptions.SectionName}:{nameof(PaymentProviderOptions.TransientFailureRate)}"));
        builder.Services.AddSingleton<IPaymentProvider, SimulatedPaymentProvider>();
        builder.Services.AddSingleton<PaymentStore>();
        builder.Services.AddSingleton<PaymentProcessor>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ReconciliationOptions>().BindConfiguration("Payment:Reconciliation");
        builder.Services.AddHostedService<PaymentReconciliation>();
        return builder;
    }
}
