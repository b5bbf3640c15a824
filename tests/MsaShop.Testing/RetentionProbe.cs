using Npgsql;
using Xunit;

namespace MsaShop.Testing;

/// <summary>Runs a retention rule's batch delete by hand (retention and batch size of the test's choosing) and shows its plan.</summary>
public static class RetentionProbe
{
    /// <summary>Runs <paramref name="deleteBatchSql"/> <paramref name="runs"/> times: how many rows each run deleted.</summary>
    public static async Task<IReadOnlyList<int>> DeleteBatchesAsync(string connectionString, string deleteBatchSql, TimeSpan retention,
        int batchSize, int runs)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var deleted = new List<int>();
        for (var run = 0; run < runs; run++)
        {
            await using var command = Command(connection, deleteBatchSql, retention, batchSize);
            deleted.Add(await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        return deleted;
    }

    /// <summary>The plan of <paramref name="deleteBatchSql"/> when the planner may scan no table it can reach through an index.</summary>
    public static async Task<string> PlanAsync(string connectionString, string deleteBatchSql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var setting = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await setting.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var command = Command(connection, $"EXPLAIN {deleteBatchSql}", TimeSpan.FromDays(1), 100);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, TimeSpan retention, int batchSize) =>
        new(sql, connection) { Parameters = { new("retention", retention), new("batchSize", batchSize) } };
}
