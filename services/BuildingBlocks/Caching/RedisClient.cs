using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace MsaShop.Caching;

/// <summary>
/// A compact Redis client: a pool of connections, one command per connection at a time, every command
/// bounded by <see cref="RedisOptions.CommandTimeout"/>. A connection that fails is dropped, never
/// reused, so the client reconnects by itself after Redis restarts.
/// </summary>
public sealed class RedisClient(RedisOptions options) : IAsyncDisposable
{
    private readonly ConcurrentBag<RedisConnection> _idle = [];
    private readonly SemaphoreSlim _slots = new(options.MaxConnections, options.MaxConnections);

    public RedisOptions Options => options;

    /// <summary>GET: the value's bytes, or <see langword="null"/> when the key does not exist.</summary>
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await ExecuteAsync([Utf8("GET"), Utf8(key)], cancellationToken) switch
        {
            RedisReply.BulkString bulk => bulk.Value,
            var other => throw Unexpected("GET", other),
        };

    /// <summary>SET, replacing any value; with an expiry the key disappears after it (PX, millisecond precision).</summary>
    public async Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte>[] command = expiry is { } ttl
            ? [Utf8("SET"), Utf8(key), value, Utf8("PX"), Utf8(Milliseconds(ttl))]
            : [Utf8("SET"), Utf8(key), value];
        await ExecuteAsync(command, cancellationToken);
    }

    /// <summary>PEXPIRE: sets a key's time to live; false when the key does not exist.</summary>
    public async Task<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        await ExecuteAsync([Utf8("PEXPIRE"), Utf8(key), Utf8(Milliseconds(expiry))], cancellationToken) is RedisReply.Number { Value: 1 };

    /// <summary>DEL: true when the key existed.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await ExecuteAsync([Utf8("DEL"), Utf8(key)], cancellationToken) is RedisReply.Number { Value: > 0 };

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync([Utf8("PING")], cancellationToken);

    /// <summary>Any command, its arguments as text: <c>ExecuteAsync(ct, "INCR", "visits")</c>.</summary>
    public Task<RedisReply> ExecuteAsync(CancellationToken cancellationToken, params string[] command) =>
        ExecuteAsync(command.Select(Utf8).ToList(), cancellationToken);

    /// <summary>
    /// Any command, binary-safe. An error reply throws <see cref="RedisException"/>; an unreachable or
    /// slow server throws <see cref="RedisConnectionException"/>.
    /// </summary>
    public async Task<RedisReply> ExecuteAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CommandTimeout);
        RedisReply reply;
        try
        {
            await _slots.WaitAsync(timeout.Token);
            try
            {
                reply = await ExecuteOnPooledConnectionAsync(command, timeout.Token);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RedisConnectionException($"Redis at {options.Host}:{options.Port} did not answer within {options.CommandTimeout.TotalMilliseconds} ms.");
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw new RedisConnectionException($"Redis at {options.Host}:{options.Port} is unreachable: {ex.Message}", ex);
        }
        return reply is RedisReply.ServerError error ? throw new RedisException(error.Message) : reply;
    }

    private async Task<RedisReply> ExecuteOnPooledConnectionAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var idle))
        {
            try
            {
                return await ExecuteAndReturnAsync(idle, command, cancellationToken);
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                // An idle connection can outlive the server (a Redis restart): so can its siblings.
                // Drop them all and try once more on a fresh connection.
                await DisposeIdleConnectionsAsync();
            }
        }
        var fresh = await RedisConnection.OpenAsync(options, cancellationToken);
        return await ExecuteAndReturnAsync(fresh, command, cancellationToken);
    }

    private async Task<RedisReply> ExecuteAndReturnAsync(RedisConnection connection, IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken)
    {
        RedisReply reply;
        try
        {
            reply = await connection.ExecuteAsync(command, cancellationToken);
        }
        catch
        {
            // Half a command may be on the wire: the connection's protocol state is unknown.
            await connection.DisposeAsync();
            throw;
        }
        _idle.Add(connection);
        return reply;
    }

    private async Task DisposeIdleConnectionsAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeIdleConnectionsAsync();
        _slots.Dispose();
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is IOException or SocketException or AuthenticationException or ObjectDisposedException;

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Milliseconds(TimeSpan duration) =>
        Math.Max(1, (long)Math.Ceiling(duration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    private static RedisException Unexpected(string command, RedisReply reply) =>
        new($"Unexpected reply to {command}: {reply}");
}
