using Dapper;
using Npgsql;

namespace MsaShop.Tests.Support;

/// <summary>
/// Reads a service's database directly, to count effects the public API does not show (and sets up the odd state a test needs).
/// </summary>
public static class Database
{
    public static async Task<long> CountAsync(string connectionString, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<T>(
            new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(string connectionString, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<T>(
            new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken))).AsList();
    }

    public static async Task ExecuteAsync(string connectionString, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>Events of one type about one order that a service wrote to its outbox.</summary>
    public static Task<long> OutboxCountAsync(string connectionString, string messageType, Guid orderId) =>
        CountAsync(connectionString,
            "SELECT count(*) FROM outbox WHERE message_type LIKE @type AND payload->>'orderId' = @orderId",
            new { type = $"MsaShop.Contracts.{messageType},%", orderId = orderId.ToString() });

    /// <summary>Charges the payment provider made for one order: the number that must never exceed one.</summary>
    public static Task<long> ProviderChargesAsync(string paymentDatabase, Guid orderId) =>
        CountAsync(paymentDatabase,
            "SELECT count(*) FROM simulated_provider_charges c JOIN payments p ON p.id = c.idempotency_key WHERE p.order_id = @orderId " +
                "AND NOT c.voided",
            new { orderId });

    /// <summary>Refunds the payment provider made for one order: at most one, whatever asked for it how often.</summary>
    public static Task<long> ProviderRefundsAsync(string paymentDatabase, Guid orderId) =>
        CountAsync(paymentDatabase,
            "SELECT count(*) FROM simulated_provider_refunds r JOIN payments p ON p.provider_charge_id = r.charge_id WHERE p.order_id " +
                "= @orderId",
            new { orderId });
}
