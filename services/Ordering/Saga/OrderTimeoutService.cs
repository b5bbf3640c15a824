using Microsoft.Extensions.Options;
using MsaShop.Messaging;
using MsaShop.Ordering.Data;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Sweeps for orders stuck in flight (a lost reply, a dead consumer) and cancels them as TimedOut, each in its own
/// transaction, which also tells catalog to release their stock. Safe to run on every replica.
/// </summary>
public sealed class OrderTimeoutService(
    NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga, IOptions<OrderingOptions> options, ILogger<OrderTimeoutService> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.TimeoutSweepInterval;

    protected override async Task<IReadOnlyList<Guid>> FindDueAsync(IReadOnlyCollection<Guid> backedOff, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await OrderStore.FindStaleAsync(connection, options.Value.OrderTimeout, backedOff, batchSize, cancellationToken);
    }

    protected override async Task HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        await saga.TimeOutIfStaleAsync(transaction, id, options.Value.OrderTimeout, cancellationToken);
        await outbox.CommitAsync(transaction, cancellationToken);
    }
}
