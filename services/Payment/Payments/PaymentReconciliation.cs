using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

/// <summary>
/// Finds payments whose saga step fell through (docs/saga.md) and settles them, idempotently:
/// <list type="bullet">
/// <item>Still <c>Charging</c> after <see cref="ReconciliationOptions.StaleAfter"/> (the consumer gave up mid-charge):
/// asks the provider by the payment id and records the charge it made; once the deadline is StaleAfter behind, voids
/// the key instead, and a payment never charged expires.</item>
/// <item><c>Succeeded</c> without OrderCompleted after StaleAfter (ordering may never have heard of it): announces
/// PaymentSucceeded again; ordering completes the order, or asks for a refund if it was cancelled meanwhile.</item>
/// </list>
/// </summary>
public sealed partial class PaymentReconciliation(
    NpgsqlDataSource dataSource, PaymentProcessor processor, IOutbox outbox, TimeProvider clock,
    IOptions<ReconciliationOptions> options, ILogger<PaymentReconciliation> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        var staleAfter = options.Value.StaleAfter;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        var stale = await PaymentStore.ClaimStaleAsync(transaction, staleAfter, BatchSize, cancellationToken);
        foreach (var payment in stale)
        {
            if (payment.Status == PaymentStatus.Charging)
            {
                var deadline = payment.ChargeDeadline ?? payment.CreatedAt;
                LogCharging(logger, payment.OrderId);
                var settlement = await processor.AskProviderAsync(
                    payment, voidIfNeverCharged: deadline + staleAfter < clock.GetUtcNow().UtcDateTime, cancellationToken);
                await processor.RecordAsync(transaction, settlement, cancellationToken);
            }
            else
            {
                LogUnconfirmed(logger, payment.OrderId);
                await outbox.EnqueueAsync(transaction, new PaymentSucceeded(payment.OrderId, payment.Id, payment.Amount), cancellationToken);
            }
        }

        await outbox.CommitAsync(transaction, cancellationToken);
        return stale.Count;
    }

    [LoggerMessage(LogLevel.Warning, "Payment for order {OrderId} is still Charging; asking the provider what became of it")]
    private static partial void LogCharging(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Warning, "Payment for order {OrderId} succeeded but the order has not completed; announcing PaymentSucceeded again")]
    private static partial void LogUnconfirmed(ILogger logger, Guid orderId);
}
