using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Keeps every table that grows with orders from growing forever: runs each <see cref="RetentionRule"/> (the
/// outbox's sent rows and the inbox here, a service adds its own) every <see cref="MessagingOptions.RetentionCleanupInterval"/>,
/// in batches of <see cref="MessagingOptions.RetentionBatchSize"/>. A rule that fails is logged and tried on the next
/// tick; the others go on. The inbox must outlive any redelivery, so keep Messaging:Retention generous.
/// </summary>
internal sealed partial class RetentionCleanup(
    NpgsqlDataSource dataSource, IEnumerable<RetentionRule> rules, IOptions<MessagingOptions> options, ILogger<RetentionCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionCleanupInterval);
        do
        {
            foreach (var rule in rules)
            {
                try
                {
                    LogDeleted(logger, await DeleteExpiredAsync(rule, stoppingToken), rule.Table);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, rule.Table, ex);
                }
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    /// <summary>Every row of <paramref name="rule"/>'s table past retention, a batch per statement (each its own transaction).</summary>
    private async Task<int> DeleteExpiredAsync(RetentionRule rule, CancellationToken cancellationToken)
    {
        var parameters = new { options.Value.Retention, batchSize = options.Value.RetentionBatchSize };
        int total = 0, deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted =
                await connection.ExecuteAsync(new CommandDefinition(rule.DeleteBatchSql, parameters, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted >= parameters.batchSize);
        return total;
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Debug, "Deleted {Count} rows of {Table} past their retention")]
    private static partial void LogDeleted(ILogger logger, int count, string table);

    [LoggerMessage(LogLevel.Warning, "Deleting old rows of {Table} failed; trying again on the next tick")]
    private static partial void LogFailed(ILogger logger, string table, Exception exception);
}
