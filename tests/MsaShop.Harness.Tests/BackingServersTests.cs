using System.Net.Sockets;
using MsaShop.Harness;
using Npgsql;

namespace MsaShop.Harness.Tests;

/// <summary>Starts two complete instances side by side: each answers, neither collides, nothing outlives disposal.</summary>
public sealed class BackingServersTests
{
    [Fact]
    public async Task Two_instances_answer_real_queries_side_by_side_and_leave_nothing_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = BackingServers.StartAsync(cancellationToken: ct);
        var second = BackingServers.StartAsync(cancellationToken: ct);
        await using var a = await first;
        await using var b = await second;

        Assert.NotEqual(a.Directory, b.Directory);
        Assert.Empty(a.Pids.Intersect(b.Pids));
        Assert.NotEqual(a.Postgres!.Port, b.Postgres!.Port);
        Assert.NotEqual(a.RabbitMq!.NodeName, b.RabbitMq!.NodeName);

        foreach (var infrastructure in new[] { a, b })
        {
            Assert.Equal(
                ["cache", "catalogdb", "messaging", "orderingdb", "paymentdb"],
                infrastructure.ConnectionStrings.Keys.Order());
            await AssertPostgresAnswersAsync(infrastructure.ConnectionStrings["orderingdb"], ct);
            Assert.Equal("+PONG", await RedisCommandAsync(infrastructure.Redis!.Port, "PING", ct));
            await AssertAmqpHandshakeAsync(infrastructure.RabbitMq!.Port, ct);
            // Writes to one instance are invisible to the other.
            Assert.Equal("+OK", await RedisCommandAsync(infrastructure.Redis.Port, $"SET owner {infrastructure.Redis.Port}", ct));
        }
        Assert.Equal(a.Redis!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await RedisCommandAsync(a.Redis.Port, "GET owner", ct));

        var pids = a.Pids.Concat(b.Pids).ToList();
        var ports = new[] { a, b }.SelectMany(i => new[] { i.Postgres!.Port, i.Redis!.Port, i.RabbitMq!.Port }).ToList();
        Assert.Equal(8, pids.Count);
        Assert.All(pids, pid => Assert.True(IsAlive(pid)));

        await a.DisposeAsync();
        await b.DisposeAsync();

        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} outlived disposal"));
        Assert.All(ports, port => Assert.False(FreePort.IsListening(port), $"port {port} still listening"));
        Assert.False(Directory.Exists(a.Directory));
    }

    [Fact]
    public async Task A_server_restarts_on_the_same_port_and_keeps_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var infrastructure = await BackingServers.StartAsync(
            new BackingServersOptions { Redis = false, RabbitMq = false }, ct);
        var connectionString = infrastructure.ConnectionStrings["catalogdb"];
        await ExecuteAsync(connectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42);", ct);

        await infrastructure.Postgres!.StopAsync();
        Assert.False(FreePort.IsListening(infrastructure.Postgres.Port));
        await infrastructure.Postgres.StartAsync(ct);
        NpgsqlConnection.ClearAllPools(); // pooled sessions died with the old server

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id FROM kept", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync(ct));
    }

    private static async Task AssertPostgresAnswersAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_database() || ':' || (6 * 7)", connection);
        Assert.Equal("orderingdb:42", await command.ExecuteScalarAsync(ct));
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> RedisCommandAsync(int port, string inline, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(inline + "\r\n"), ct);
        using var reader = new StreamReader(stream);
        var line = (await reader.ReadLineAsync(ct))!;
        // A bulk string ($len) carries its value on the next line.
        return line.StartsWith('$') ? (await reader.ReadLineAsync(ct))! : line;
    }

    private static async Task AssertAmqpHandshakeAsync(int port, CancellationToken ct)
    {
        // An AMQP 0-9-1 protocol header gets a Connection.Start frame (type 1) back.
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        using var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), ct);
        var frame = new byte[7];
        await stream.ReadExactlyAsync(frame, ct);
        Assert.Equal(1, frame[0]);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
