using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MsaShop.Caching.Tests;

/// <summary>The RESP client against a real redis-server.</summary>
public sealed class RedisClientTests(RedisFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_missing_key_is_nil_and_a_set_value_reads_back()
    {
        await using var redis = fixture.CreateClient();

        Assert.Null(await redis.GetAsync("missing", Ct));
        await redis.SetAsync("greeting", "hello"u8.ToArray(), cancellationToken: Ct);
        Assert.Equal("hello"u8.ToArray(), await redis.GetAsync("greeting", Ct));
        Assert.True(await redis.DeleteAsync("greeting", Ct));
        Assert.False(await redis.DeleteAsync("greeting", Ct));
        Assert.Null(await redis.GetAsync("greeting", Ct));
    }

    [Fact]
    public async Task Values_and_keys_are_binary_safe()
    {
        await using var redis = fixture.CreateClient();
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var protocolLookalike = "$5\r\nhello\r\n\0*1\r\n-ERR\r\n"u8.ToArray();
        var large = new byte[3 * 1024 * 1024 + 7]; // far larger than the read buffer
        Random.Shared.NextBytes(large);
        var key = "key with spaces, \r\n and \0";

        await redis.SetAsync(key, protocolLookalike, cancellationToken: Ct);
        await redis.SetAsync("every-byte", everyByte, cancellationToken: Ct);
        await redis.SetAsync("large", large, cancellationToken: Ct);
        await redis.SetAsync("empty", Array.Empty<byte>(), cancellationToken: Ct);

        Assert.Equal(protocolLookalike, await redis.GetAsync(key, Ct));
        Assert.Equal(everyByte, await redis.GetAsync("every-byte", Ct));
        Assert.Equal(large, await redis.GetAsync("large", Ct));
        Assert.Equal(Array.Empty<byte>(), await redis.GetAsync("empty", Ct));
    }

    [Fact]
    public async Task An_error_reply_throws_and_leaves_the_connection_usable()
    {
        await using var redis = fixture.CreateClient(o => o with { MaxConnections = 1 });
        await redis.SetAsync("text", "not a number"u8.ToArray(), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<RedisException>(() => redis.ExecuteAsync(Ct, "INCR", "text"));
        var unknown = await Assert.ThrowsAsync<RedisException>(() => redis.ExecuteAsync(Ct, "NO-SUCH-COMMAND"));

        Assert.StartsWith("ERR value is not an integer", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("ERR unknown command", unknown.Message, StringComparison.Ordinal);
        Assert.IsNotType<RedisConnectionException>(error);
        Assert.Equal(new RedisReply.Number(1), await redis.ExecuteAsync(Ct, "INCR", "counter"));
    }

    [Fact]
    public async Task Arrays_integers_and_status_replies_are_read()
    {
        await using var redis = fixture.CreateClient();
        await redis.ExecuteAsync(Ct, "RPUSH", "list", "a", "", "c");

        var list = Assert.IsType<RedisReply.Array>(await redis.ExecuteAsync(Ct, "LRANGE", "list", "0", "-1"));
        var missing = Assert.IsType<RedisReply.Array>(await redis.ExecuteAsync(Ct, "BLPOP", "no-such-list", "0.01"));

        Assert.Equal(["a", "", "c"], list.Items!.Select(i => Encoding.UTF8.GetString(Assert.IsType<RedisReply.BulkString>(i).Value!)));
        Assert.Null(missing.Items);
        Assert.Equal(new RedisReply.SimpleString("PONG"), await redis.ExecuteAsync(Ct, "PING"));
    }

    [Fact]
    public async Task A_value_set_with_an_expiry_disappears_after_it()
    {
        await using var redis = fixture.CreateClient();

        await redis.SetAsync("short-lived", "x"u8.ToArray(), TimeSpan.FromMilliseconds(300), Ct);
        await redis.SetAsync("long-lived", "x"u8.ToArray(), TimeSpan.FromHours(1), Ct);
        var ttl = Assert.IsType<RedisReply.Number>(await redis.ExecuteAsync(Ct, "PTTL", "short-lived")).Value;

        Assert.InRange(ttl, 1, 300);
        await Eventually.TrueAsync(async () => await redis.GetAsync("short-lived", Ct) is null, "the key to expire");
        Assert.NotNull(await redis.GetAsync("long-lived", Ct));
    }

    [Fact]
    public async Task Many_concurrent_commands_share_a_small_pool_without_mixing_replies()
    {
        await using var redis = fixture.CreateClient(o => o with { MaxConnections = 3, CommandTimeout = TimeSpan.FromSeconds(30) });

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => redis.SetAsync($"k{i}", Encoding.UTF8.GetBytes($"v{i}"), cancellationToken: Ct)));
        var values = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => redis.GetAsync($"k{i}", Ct)));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"v{i}"), values.Select(v => Encoding.UTF8.GetString(v!)));
        var clients = Encoding.UTF8.GetString(Assert.IsType<RedisReply.BulkString>(await redis.ExecuteAsync(Ct, "CLIENT", "LIST")).Value!);
        var ours = clients.Split('\n').Count(line => line.Contains($" db={redis.Options.Database} ", StringComparison.Ordinal));
        Assert.InRange(ours, 1, 3);
    }

    [Fact]
    public async Task A_command_that_outlives_its_timeout_fails_and_its_connection_is_not_reused()
    {
        await using var redis = fixture.CreateClient(o => o with { MaxConnections = 1, CommandTimeout = TimeSpan.FromMilliseconds(300) });
        await redis.SetAsync("after", "ok"u8.ToArray(), cancellationToken: Ct);

        // BLPOP blocks for 5 s: its late reply must never be read as the answer to the next command.
        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.ExecuteAsync(Ct, "BLPOP", "empty-list", "5"));

        Assert.Equal("ok"u8.ToArray(), await redis.GetAsync("after", Ct));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var redis = new RedisClient(new RedisOptions { Host = "127.0.0.1", Port = port, CommandTimeout = TimeSpan.FromMilliseconds(300) });

        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.GetAsync("anything", Ct));
    }

    [Fact]
    public async Task Nothing_listening_is_a_connection_failure()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var redis = new RedisClient(new RedisOptions { Host = "127.0.0.1", Port = port });

        var failure = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync(Ct));

        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_reconnects_by_itself_after_Redis_restarts()
    {
        await using var infrastructure = await RedisFixture.StartRedisAsync();
        var server = infrastructure.Redis!;
        await using var redis = new RedisClient(RedisOptions.Parse(server.ConnectionString) with { MaxConnections = 4 });
        // Fill the pool with several idle connections: all of them die with the server.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => redis.PingAsync(Ct)));
        await redis.SetAsync("before", "1"u8.ToArray(), cancellationToken: Ct);

        await server.StopAsync();
        await Assert.ThrowsAsync<RedisConnectionException>(() => redis.GetAsync("before", Ct));
        await server.StartAsync(Ct);

        // The restarted server starts empty (no persistence): nil, not an error, proves a working connection.
        Assert.Null(await redis.GetAsync("before", Ct));
        await redis.SetAsync("after", "2"u8.ToArray(), cancellationToken: Ct);
        Assert.Equal("2"u8.ToArray(), await redis.GetAsync("after", Ct));
    }

    [Fact]
    public async Task Password_and_database_options_are_honoured()
    {
        await using var infrastructure = await RedisFixture.StartRedisAsync();
        var server = infrastructure.Redis!;
        await using (var admin = new RedisClient(RedisOptions.Parse(server.ConnectionString)))
        {
            await admin.ExecuteAsync(Ct, "CONFIG", "SET", "requirepass", "s3cret");
        }
        await using var anonymous = new RedisClient(RedisOptions.Parse(server.ConnectionString));
        await using var wrongPassword = new RedisClient(RedisOptions.Parse($"{server.ConnectionString},password=nope"));
        await using var database3 = new RedisClient(RedisOptions.Parse($"{server.ConnectionString},password=s3cret,defaultDatabase=3,abortConnect=false"));
        await using var database0 = new RedisClient(RedisOptions.Parse($"{server.ConnectionString},password=s3cret"));

        await Assert.ThrowsAsync<RedisException>(() => anonymous.GetAsync("k", Ct));
        await Assert.ThrowsAsync<RedisException>(() => wrongPassword.PingAsync(Ct));
        await database3.SetAsync("k", "three"u8.ToArray(), cancellationToken: Ct);
        Assert.Null(await database0.GetAsync("k", Ct));
        Assert.Equal("three"u8.ToArray(), await database3.GetAsync("k", Ct));
    }
}
