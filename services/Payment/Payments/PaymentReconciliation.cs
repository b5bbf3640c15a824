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
/// Each payment on its own: it is claimed (marked reconciled) and committed, the provider is asked with no transaction
/// open, and the answer recorded in a transaction of its own; a payment whose provider call fails is backed off while
/// the others are settled.
/// </summary>
public sealed partial class PaymentReconciliation(
    NpgsqlDataSource dataSource, PaymentStore payments, PaymentProcessor processor, IOutbox outbox, TimeProvider clock,
    IOptions<ReconciliationOptions> options, ILogger<PaymentReconciliation> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task<IReadOnlyList<Guid>> FindDueAsync(IReadOnlyCollection<Guid> backedOff, int batchSize,
        CancellationToken cancellationToken) =>
        payments.FindStaleAsync(options.Value.StaleAfter, backedOff, batchSize, cancellationToken);

    protected override async Task HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        var staleAfter = options.Value.StaleAfter;
        if (await payments.ClaimIfStaleAsync(id, staleAfter, cancellationToken) is not { } payment)
        {
            return;
        }

        Settlement? settlement = null;
        if (payment.Status == PaymentStatus.Charging)
        {
            var deadline = payment.ChargeDeadline ?? payment.CreatedAt;
            LogCharging(logger, payment.OrderId);
            settlement = await processor.AskProviderAsync(
                payment, voidIfNeverCharged: deadline + staleAfter < clock.GetUtcNow().UtcDateTime, cancellationToken);
        }
        else
        {
            LogUnconfirmed(logger, payment.OrderId);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        if (settlement is not null)
        {
            await processor.RecordAsync(transaction, settlement, cancellationToken);
        }
        else
        {
            await outbox.EnqueueAsync(transaction, new PaymentSucceeded(payment.OrderId, payment.Id, payment.Amount), cancellationToken);
        }
        await outbox.CommitAsync(transaction, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Payment for order {OrderId} is still Charging; asking the provider what became of it")]
    private static partial void LogCharging(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Warning,
        "Payment for order {OrderId} succeeded but the order has not completed; announcing PaymentSucceeded again")]
    private static partial void LogUnconfirmed(ILogger logger, Guid orderId);
}
