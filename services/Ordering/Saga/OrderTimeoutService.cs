using Microsoft.Extensions.Options;
using MsaShop.Messaging;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Model;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Sweeps for orders stuck in flight (a lost reply, a dead consumer) and cancels them as TimedOut, each in its own
/// transaction, which also tells catalog to release their stock. Safe to run on every replica.
/// </summary>
public sealed class OrderTimeoutService(
    NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga, IOptions<OrderingOptions> options, IOptions<MessagingOptions> messaging,
    ILogger<OrderTimeoutService> logger)
    : PeriodicBatchService(logger)
{
    private OrderDeadlines Deadlines =>
        new(options.Value.OrderTimeout, options.Value.PaymentReplyWindow ?? messaging.Value.RedeliveryWindow);

    protected override TimeSpan Interval => options.Value.TimeoutSweepInterval;

    protected override async Task<IReadOnlyList<Guid>> FindDueAsync(IReadOnlyCollection<Guid> backedOff, int batchSize,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await OrderStore.FindStaleAsync(connection, Deadlines, backedOff, batchSize, cancellationToken);
    }

    protected override async Task HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        await saga.TimeOutIfStaleAsync(transaction, id, Deadlines, cancellationToken);
        await outbox.CommitAsync(transaction, cancellationToken);
    }
}
