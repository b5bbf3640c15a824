using System.Diagnostics;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Payment.Provider;
using Npgsql;
using Polly;
using Polly.Retry;

namespace MsaShop.Payment.Payments;

/// <summary>A PaymentRequested or PaymentRefundRequested that can never succeed (a bug upstream); it goes straight to the error queue for an operator.</summary>
public sealed class InvalidPaymentRequestException(string message) : UnprocessableMessageException(message);

/// <summary>
/// Charges an order at most once (docs/idempotency.md): the payment row, and with it the provider's
/// idempotency key, is committed before the provider is called; the outcome and the event announcing
/// it are committed together with the inbox record. Never charges after the request's deadline: then it voids the
/// key at the provider instead (or finds the charge an earlier attempt made). Refunds a charge at most once: only the
/// conditional UPDATE Succeeded → Refunded records a refund, and the provider refunds a charge once however often it is asked.
/// </summary>
public sealed partial class PaymentProcessor(
    PaymentStore payments, IPaymentProvider provider, IOutbox outbox, TimeProvider clock,
    IOptions<PaymentProviderOptions> options, ILogger<PaymentProcessor> logger)
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

        if (request.Deadline is { } deadline && clock.GetUtcNow() > deadline)
        {
            // The order has timed out by now: charging it would only end in a refund.
            LogPastDeadline(logger, request.OrderId, deadline);
            await SettleFromProviderAsync(transaction, payment, voidIfNeverCharged: true, cancellationToken);
            return;
        }

        // Same payment id on every attempt and every redelivery: the provider charges once.
        var result = await _providerPipeline.ExecuteAsync(
            async token => await provider.ChargeAsync(new ChargeRequest(payment.Id, payment.Amount, request.PaymentToken), token),
            cancellationToken);
        await RecordChargeAsync(transaction, payment, result, cancellationToken);
    }

    /// <summary>
    /// Settles a payment left Charging from what the provider knows about its id: the charge an earlier call made (its
    /// answer was lost) is recorded and announced. A payment the provider never charged is voided and expires when
    /// <paramref name="voidIfNeverCharged"/> (its deadline has passed); otherwise it is left for its request to come back.
    /// </summary>
    public async Task SettleFromProviderAsync(NpgsqlTransaction transaction, Payment payment, bool voidIfNeverCharged, CancellationToken cancellationToken)
    {
        var charge = await _providerPipeline.ExecuteAsync(
            async token => voidIfNeverCharged ? await provider.VoidAsync(payment.Id, token) : await provider.FindChargeAsync(payment.Id, token),
            cancellationToken);
        if (charge is not null)
        {
            await RecordChargeAsync(transaction, payment, charge, cancellationToken);
        }
        else if (voidIfNeverCharged && await PaymentStore.ExpireAsync(transaction, payment.Id, cancellationToken) is not null)
        {
            LogExpired(logger, payment.OrderId);
        }
    }

    /// <summary>Records the provider's answer and announces it, once (a second delivery finds the payment settled).</summary>
    private async Task RecordChargeAsync(NpgsqlTransaction transaction, Payment payment, ChargeResult result, CancellationToken cancellationToken)
    {
        if (await PaymentStore.SettleAsync(transaction, payment.Id, result, cancellationToken) is not { } settled)
        {
            LogAlreadySettled(logger, payment.OrderId, PaymentStatus.Charging);
            return;
        }

        Activity.Current?.SetTag("msashop.payment_status", settled.Status.ToString());
        if (settled.Status == PaymentStatus.Succeeded)
        {
            await outbox.EnqueueAsync(transaction, new PaymentSucceeded(settled.OrderId, settled.Id, settled.Amount), cancellationToken);
        }
        else
        {
            await outbox.EnqueueAsync(transaction, new PaymentFailed(settled.OrderId, settled.FailureReason ?? "declined"), cancellationToken);
        }
    }

    public async Task RefundAsync(NpgsqlTransaction transaction, PaymentRefundRequested request, CancellationToken cancellationToken)
    {
        var payment = await PaymentStore.FindAsync(transaction, request.PaymentId, cancellationToken);
        if (payment is null || payment.OrderId != request.OrderId || payment.Amount != request.Amount)
        {
            throw new InvalidPaymentRequestException($"Refund for order {request.OrderId} names payment {request.PaymentId} of {request.Amount}, which this order was not charged.");
        }

        if (payment.Status == PaymentStatus.Refunded)
        {
            LogAlreadyRefunded(logger, request.OrderId);
            return;
        }

        if (payment.Status != PaymentStatus.Succeeded)
        {
            throw new InvalidPaymentRequestException($"Refund for order {request.OrderId}: payment {payment.Id} is {payment.Status}, not charged.");
        }

        using var activity = ActivitySource.StartActivity("refund payment");
        activity?.SetTag("msashop.order_id", request.OrderId);
        LogRefunding(logger, request.OrderId, request.Reason);

        // Keyed by the charge: a retry or a redelivery gets the first refund back, never a second one.
        var result = await _providerPipeline.ExecuteAsync(
            async token => await provider.RefundAsync(new RefundRequest(payment.ProviderChargeId!, payment.Amount), token),
            cancellationToken);

        if (await PaymentStore.MarkRefundedAsync(transaction, payment.Id, result, cancellationToken) is not { } refunded)
        {
            LogAlreadyRefunded(logger, request.OrderId);
            return;
        }

        await outbox.EnqueueAsync(transaction, new PaymentRefunded(refunded.OrderId, refunded.Id, refunded.Amount), cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Payment for order {OrderId} is past its deadline {Deadline}: it is not charged")]
    private static partial void LogPastDeadline(ILogger logger, Guid orderId, DateTimeOffset deadline);

    [LoggerMessage(LogLevel.Warning, "Payment for order {OrderId} expired: never charged, and its key is void at the provider")]
    private static partial void LogExpired(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Warning, "Refunding the payment of order {OrderId}: the order was cancelled ({Reason})")]
    private static partial void LogRefunding(ILogger logger, Guid orderId, string reason);

    [LoggerMessage(LogLevel.Information, "Payment for order {OrderId} is already refunded; nothing to do")]
    private static partial void LogAlreadyRefunded(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Information, "Payment for order {OrderId} is already settled ({Status}); nothing to do")]
    private static partial void LogAlreadySettled(ILogger logger, Guid orderId, PaymentStatus status);

    [LoggerMessage(LogLevel.Warning, "Payment provider call failed transiently; retry {Attempt}")]
    private static partial void LogProviderRetry(ILogger logger, int attempt, Exception? exception);
}
