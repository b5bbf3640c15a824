using System.Diagnostics;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Payment.Provider;
using Npgsql;
using Polly;
using Polly.Retry;

namespace MsaShop.Payment.Payments;

/// <summary>
/// A PaymentRequested or PaymentRefundRequested that can never succeed (a bug upstream); it goes straight to the error queue for an
/// operator.
/// </summary>
public sealed class InvalidPaymentRequestException(string message) : UnprocessableMessageException(message);

/// <summary>What the provider said about a payment, to be recorded in the inbox transaction: the charge it made, or
/// none (and whether the payment is then to expire, its key void).</summary>
public sealed record Settlement(Payment Payment, ChargeResult? Charge, bool Expire);

/// <summary>A refund the provider made, to be recorded in the inbox transaction.</summary>
public sealed record Refund(Payment Payment, RefundResult Result);

/// <summary>
/// Charges an order at most once (docs/idempotency.md), in two steps so that no transaction is open while the provider
/// answers: the payment row, and with it the provider's idempotency key, is committed before the provider is called
/// (<see cref="ChargeAsync"/>); the outcome and the event announcing it are committed together with the inbox record
/// (<see cref="RecordAsync"/>). Never charges after the request's deadline: then it voids the key at the provider instead
/// (or finds the charge an earlier attempt made); Payment:MaxClockSkew before it, by its own clock. Refunds a charge at most once: only the
/// conditional UPDATE
/// Succeeded → Refunded records a refund, and the provider refunds a charge once however often it is asked.
/// </summary>
public sealed partial class PaymentProcessor(
    PaymentStore payments, IPaymentProvider provider, IOutbox outbox, TimeProvider clock,
    IOptions<PaymentProviderOptions> options, IOptions<PaymentOptions> paymentOptions, ILogger<PaymentProcessor> logger)
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

    /// <summary>
    /// Outside any transaction: creates the order's payment (committed at once, so its id survives whatever happens to the
    /// message) and charges it, or, past the deadline, voids its key. Null when the payment is already settled.
    /// </summary>
    public async Task<Settlement?> ChargeAsync(PaymentRequested request, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0 || string.IsNullOrWhiteSpace(request.PaymentToken))
        {
            throw new InvalidPaymentRequestException(
                $"Payment for order {request.OrderId} has amount {request.Amount} and token '{request.PaymentToken}'.");
        }

        using var activity = ActivitySource.StartActivity("charge order");
        activity?.SetTag("msashop.order_id", request.OrderId);

        var payment = await payments.GetOrCreateAsync(request, cancellationToken);
        if (payment.Status != PaymentStatus.Charging)
        {
            LogAlreadySettled(logger, request.OrderId, payment.Status);
            return null;
        }

        if (request.Deadline is { } deadline && clock.GetUtcNow() + paymentOptions.Value.MaxClockSkew > deadline)
        {
            // The order has timed out by now, or may have by ordering's clock: charging it would only end in a refund.
            LogPastDeadline(logger, request.OrderId, deadline);
            return await AskProviderAsync(payment, voidIfNeverCharged: true, cancellationToken);
        }

        // Same payment id on every attempt and every redelivery: the provider charges once.
        var result = await _providerPipeline.ExecuteAsync(
            async token => await provider.ChargeAsync(new ChargeRequest(payment.Id, payment.Amount, request.PaymentToken), token),
            cancellationToken);
        activity?.SetTag("msashop.payment_status", (result.Approved ? PaymentStatus.Succeeded : PaymentStatus.Declined).ToString());
        return new Settlement(payment, result, Expire: false);
    }

    /// <summary>
    /// What the provider knows about a payment left Charging, asked by its id: the charge an earlier call made (its answer
    /// was lost), or none. With <paramref name="voidIfNeverCharged"/> (its deadline has passed) a key that never charged
    /// is voided, and the payment is to expire; otherwise it is left for its request to come back.
    /// </summary>
    public async Task<Settlement> AskProviderAsync(Payment payment, bool voidIfNeverCharged, CancellationToken cancellationToken)
    {
        var charge = await _providerPipeline.ExecuteAsync(
            async token =>
                voidIfNeverCharged ? await provider.VoidAsync(payment.Id, token) : await provider.FindChargeAsync(payment.Id, token),
            cancellationToken);
        return new Settlement(payment, charge, Expire: charge is null && voidIfNeverCharged);
    }

    /// <summary>Records the provider's answer and announces it, once (a second delivery finds the payment settled).</summary>
    public async Task RecordAsync(NpgsqlTransaction transaction, Settlement settlement, CancellationToken cancellationToken)
    {
        var payment = settlement.Payment;
        if (settlement.Charge is not { } charge)
        {
            if (settlement.Expire && await PaymentStore.ExpireAsync(transaction, payment.Id, cancellationToken) is not null)
            {
                LogExpired(logger, payment.OrderId);
            }
            return;
        }

        if (await PaymentStore.SettleAsync(transaction, payment.Id, charge, cancellationToken) is not { } settled)
        {
            LogAlreadySettled(logger, payment.OrderId, PaymentStatus.Charging);
            return;
        }

        if (settled.Status == PaymentStatus.Succeeded)
        {
            await outbox.EnqueueAsync(transaction, new PaymentSucceeded(settled.OrderId, settled.Id, settled.Amount), cancellationToken);
        }
        else
        {
            await outbox.EnqueueAsync(transaction, new PaymentFailed(settled.OrderId, settled.FailureReason ?? "declined"),
                cancellationToken);
        }
    }

    /// <summary>Outside any transaction: gives the charge back at the provider (keyed by the charge, so at most once there).
    /// Null when the payment is already refunded.</summary>
    public async Task<Refund?> RefundAsync(PaymentRefundRequested request, CancellationToken cancellationToken)
    {
        var payment = await payments.FindAsync(request.PaymentId, cancellationToken);
        if (payment is null || payment.OrderId != request.OrderId || payment.Amount != request.Amount)
        {
            throw new InvalidPaymentRequestException(
                $"Refund for order {request.OrderId} names payment {request.PaymentId} of {request.Amount}, which this order was " +
                $"not charged.");
        }

        if (payment.Status == PaymentStatus.Refunded)
        {
            LogAlreadyRefunded(logger, request.OrderId);
            return null;
        }

        if (payment.Status != PaymentStatus.Succeeded)
        {
            throw new InvalidPaymentRequestException(
                $"Refund for order {request.OrderId}: payment {payment.Id} is {payment.Status}, not charged.");
        }

        using var activity = ActivitySource.StartActivity("refund payment");
        activity?.SetTag("msashop.order_id", request.OrderId);
        LogRefunding(logger, request.OrderId, request.Reason);

        // Keyed by the charge: a retry or a redelivery gets the first refund back, never a second one.
        var result = await _providerPipeline.ExecuteAsync(
            async token => await provider.RefundAsync(new RefundRequest(payment.ProviderChargeId!, payment.Amount), token),
            cancellationToken);
        return new Refund(payment, result);
    }

    /// <summary>Records the refund and announces it, once: only a payment still Succeeded becomes Refunded.</summary>
    public async Task RecordRefundAsync(NpgsqlTransaction transaction, Refund refund, CancellationToken cancellationToken)
    {
        if (await PaymentStore.MarkRefundedAsync(transaction, refund.Payment.Id, refund.Result, cancellationToken) is not { } refunded)
        {
            LogAlreadyRefunded(logger, refund.Payment.OrderId);
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
