using System.Diagnostics;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Payment.Provider;
using Npgsql;
using Polly;
using Polly.Retry;

namespace MsaShop.Payment.Payments;

/// <summary>A PaymentRequested that can never succeed (a bug upstream); it ends in the error queue for an operator.</summary>
public sealed class InvalidPaymentRequestException(string message) : Exception(message);

/// <summary>
/// Charges an order at most once (docs/idempotency.md): the payment row, and with it the provider's
/// idempotency key, is committed before the provider is called; the outcome and the event announcing
/// it are committed together with the inbox record.
/// </summary>
public sealed partial class PaymentProcessor(
    PaymentStore payments, IPaymentProvider provider, IOutbox outbox, IOptions<PaymentProviderOptions> options, ILogger<PaymentProcessor> logger)
{
    public static readonly ActivitySource ActivitySource = new("MsaShop.Payment");

    private readonly ResiliencePipeline _providerPipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PaymentProviderTransientException>(),
            MaxRetryAttempts = options.Value.MaxRetryAttempts,
            Delay = options.Value.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                LogProviderRetry(logger, args.AttemptNumber + 1, args.Outcome.Exception);
                return default;
            },
        })
        .Build();

    public async Task ChargeAsync(NpgsqlTransaction transaction, PaymentRequested request, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0 || string.IsNullOrWhiteSpace(request.PaymentToken))
        {
            throw new InvalidPaymentRequestException($"Payment for order {request.OrderId} has amount {request.Amount} and token '{request.PaymentToken}'.");
        }

        using var activity = ActivitySource.StartActivity("charge order");
        activity?.SetTag("msashop.order_id", request.OrderId);

        var payment = await payments.GetOrCreateAsync(request, cancellationToken);
        if (payment.Status != PaymentStatus.Charging)
        {
            LogAlreadySettled(logger, request.OrderId, payment.Status);
            return;
        }

        // Same payment id on every attempt and every redelivery: the provider charges once.
        var result = await _providerPipeline.ExecuteAsync(
            async token => await provider.ChargeAsync(new ChargeRequest(payment.Id, payment.Amount, request.PaymentToken), token),
            cancellationToken);

        if (await PaymentStore.SettleAsync(transaction, payment.Id, result, cancellationToken) is not { } settled)
        {
            LogAlreadySettled(logger, request.OrderId, PaymentStatus.Charging);
            return;
        }

        activity?.SetTag("msashop.payment_status", settled.Status.ToString());
        if (settled.Status == PaymentStatus.Succeeded)
        {
            await outbox.EnqueueAsync(transaction, new PaymentSucceeded(settled.OrderId, settled.Id, settled.Amount), cancellationToken);
        }
        else
        {
            await outbox.EnqueueAsync(transaction, new PaymentFailed(settled.OrderId, settled.FailureReason ?? "declined"), cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "Payment for order {OrderId} is already settled ({Status}); nothing to do")]
    private static partial void LogAlreadySettled(ILogger logger, Guid orderId, PaymentStatus status);

    [LoggerMessage(LogLevel.Warning, "Payment provider call failed transiently; retry {Attempt}")]
    private static partial void LogProviderRetry(ILogger logger, int attempt, Exception? exception);
}
