using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MsaShop.Caching;

/// <summary>One TCP (optionally TLS) connection to Redis, used by one command at a time.</summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly RespReader _reader;
    private readonly ArrayBufferWriter<byte> _output = new(256);

    private RedisConnection(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
        _reader = new RespReader(stream);
    }

    public static async Task<RedisConnection> OpenAsync(RedisOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, timeout.Token);
            Stream stream = client.GetStream();
            if (options.Ssl)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Host }, timeout.Token);
                stream = ssl;
            }
            var connection = new RedisConnection(client, stream);
            if (options.Password is { } password)
            {
                await connection.HandshakeAsync(options.User is { } user ? ["AUTH", user, password] : ["AUTH", password], timeout.Token);
            }
            if (options.Database != 0)
            {
                await connection.HandshakeAsync(["SELECT", options.Database.ToString(CultureInfo.InvariantCulture)], timeout.Token);
            }
            return connection;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task HandshakeAsync(string[] command, CancellationToken cancellationToken)
    {
        if (await ExecuteAsync(command.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a)).ToList(), cancellationToken) is RedisReply.ServerError error)
        {
            throw new RedisException($"Redis refused {command[0]}: {error.Message}");
        }
    }

    /// <summary>Sends one command and reads its reply. Any exception leaves the connection unusable.</summary>
    public async Task<RedisReply> ExecuteAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken)
    {
        _output.ResetWrittenCount();
        RespProtocol.WriteCommand(_output, command);
        await _stream.WriteAsync(_output.WrittenMemory, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        return await _reader.ReadAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
