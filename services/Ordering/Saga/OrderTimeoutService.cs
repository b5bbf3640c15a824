using Microsoft.Extensions.Options;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Sweeps for orders stuck in flight (a lost reply, a dead consumer) and cancels them as TimedOut,
/// which also tells catalog to release their stock. Safe to run on every replica.
/// </summary>
public sealed class OrderTimeoutService(
    NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga, IOptions<OrderingOptions> options, ILogger<OrderTimeoutService> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.TimeoutSweepInterval;

    protected override async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        var count = await saga.TimeOutStaleOrdersAsync(transaction, options.Value.OrderTimeout, BatchSize, cancellationToken);
        await outbox.CommitAsync(transaction, cancellationToken);
        return count;
    }
}
