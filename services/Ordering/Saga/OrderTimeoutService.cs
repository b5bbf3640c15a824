using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Sweeps for orders stuck in flight (a lost reply, a dead consumer) and cancels them as TimedOut,
/// which also tells catalog to release their stock. Safe to run on every replica.
/// </summary>
public sealed partial class OrderTimeoutService(
    NpgsqlDataSource dataSource, OrderSaga saga, IOptions<OrderingOptions> options, ILogger<OrderTimeoutService> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TimeoutSweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await SweepOnceAsync(stoppingToken) == BatchSize)
                {
                    // A full batch: there may be more right away.
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    private async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var count = await saga.TimeOutStaleOrdersAsync(transaction, options.Value.OrderTimeout, BatchSize, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    [LoggerMessage(LogLevel.Warning, "Order timeout sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
