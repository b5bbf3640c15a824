using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Ordering.Admission;

/// <summary>
/// Load shedding at the door of the saga. An order is admitted only while fewer than
/// <see cref="OrderAdmissionOptions.MaxInFlightOrders"/> orders are in flight; beyond that, each order accepted would only
/// wait behind the others and push every customer's wait up, so it is refused at once, before any catalog call or
/// database write, with 503 and Retry-After. The count is approximate by design but never below what was taken: each
/// instance counts the in-flight orders in the database every <see cref="OrderAdmissionOptions.RefreshInterval"/> and
/// adds those it has accepted since (requests admitted together may overshoot the bound by how many arrived at once).
/// </summary>
public sealed partial class OrderAdmission(
    NpgsqlDataSource dataSource, IOptions<OrderAdmissionOptions> options, ILogger<OrderAdmission> logger) : BackgroundService
{
    private long _inFlightAtLastCount;
    private long _acceptedSinceCount;

    /// <summary>False when the backlog is full: the order must be refused.</summary>
    public bool HasRoom()
    {
        var limit = options.Value.MaxInFlightOrders;
        return limit <= 0 || Volatile.Read(ref _inFlightAtLastCount) + Interlocked.Read(ref _acceptedSinceCount) < limit;
    }

    /// <summary>Counts an order this instance has just committed, until the next count of the database includes it.</summary>
    public void Accepted() => Interlocked.Increment(ref _acceptedSinceCount);

    /// <summary>What a refused client is told to wait.</summary>
    public TimeSpan RetryAfter => options.Value.RetryAfter;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.MaxInFlightOrders <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Orders accepted before the count began are in it; those accepted since stay added on top (some counted twice
            // until the next refresh: too many, never too few).
            var acceptedBefore = Interlocked.Read(ref _acceptedSinceCount);
            Volatile.Write(ref _inFlightAtLastCount, await CountInFlightAsync(stoppingToken));
            Interlocked.Add(ref _acceptedSinceCount, -acceptedBefore);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The last count stands until the database answers again.
            LogCountFailed(logger, ex);
        }
    }

    // The partial index orders_in_flight_updated holds exactly these rows.
    private async Task<long> CountInFlightAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM orders WHERE status IN ('Submitted', 'AwaitingPayment')", cancellationToken: cancellationToken));
    }

    [LoggerMessage(LogLevel.Warning, "Counting the orders in flight failed; admission keeps the last count")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
