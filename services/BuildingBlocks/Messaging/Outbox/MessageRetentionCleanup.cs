using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Keeps the outbox and inbox from growing forever: deletes sent outbox rows and inbox records older than
/// <see cref="MessagingOptions.Retention"/>. The inbox must outlive any redelivery, so keep it generous.
/// </summary>
internal sealed partial class MessageRetentionCleanup(
    NpgsqlDataSource dataSource, IOptions<MessagingOptions> options, ILogger<MessageRetentionCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionCleanupInterval);
        do
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var deleted = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    DELETE FROM outbox WHERE sent_at < now() - @retention;
                    DELETE FROM inbox WHERE received_at < now() - @retention;
                    """,
                    new { retention = options.Value.Retention }, cancellationToken: stoppingToken));
                LogDeleted(logger, deleted);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
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

    [LoggerMessage(LogLevel.Debug, "Deleted {Count} outbox and inbox rows past their retention")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Deleting old outbox and inbox rows failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
