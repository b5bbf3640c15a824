using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MsaShop.Caching;

/// <summary>
/// The RESP2 wire format (https://redis.io/docs/latest/develop/reference/protocol-spec/): a command is
/// an array of length-prefixed bulk strings, so keys and values may hold any byte, \r\n and \0 included.
/// </summary>
internal static class RespProtocol
{
    public static void WriteCommand(IBufferWriter<byte> output, IReadOnlyList<ReadOnlyMemory<byte>> command)
    {
        WriteHeader(output, (byte)'*', command.Count);
        foreach (var argument in command)
        {
            WriteHeader(output, (byte)'$', argument.Length);
            output.Write(argument.Span);
            output.Write("\r\n"u8);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int length)
    {
        var span = output.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        "\r\n"u8.CopyTo(span[(1 + written)..]);
        output.Advance(written + 3);
    }
}

/// <summary>Reads RESP2 replies from a connection's stream through one reusable buffer.</summary>
internal sealed class RespReader(Stream stream)
{
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public async ValueTask<RedisReply> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        var payload = line[1..];
        return line[0] switch
        {
            '+' => new RedisReply.SimpleString(payload),
            '-' => new RedisReply.ServerError(payload),
            ':' => new RedisReply.Number(long.Parse(payload, CultureInfo.InvariantCulture)),
            '$' => new RedisReply.BulkString(await ReadBulkAsync(int.Parse(payload, CultureInfo.InvariantCulture), cancellationToken)),
            '*' => new RedisReply.Array(await ReadArrayAsync(int.Parse(payload, CultureInfo.InvariantCulture), cancellationToken)),
            _ => throw new IOException($"Unexpected RESP reply type '{line[0]}'."),
        };
    }

    private async ValueTask<IReadOnlyList<RedisReply>?> ReadArrayAsync(int count, CancellationToken cancellationToken)
    {
        if (count < 0)
        {
            return null;
        }
        var items = new RedisReply[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = await ReadAsync(cancellationToken);
        }
        return items;
    }

    private async ValueTask<byte[]?> ReadBulkAsync(int length, CancellationToken cancellationToken)
    {
        if (length < 0)
        {
            return null;
        }
        var value = new byte[length];
        var buffered = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(value);
        _start += buffered;
        if (buffered < length)
        {
            // A large value bypasses the buffer.
            await stream.ReadExactlyAsync(value.AsMemory(buffered), cancellationToken);
        }
        await FillAsync(2, cancellationToken);
        _start += 2; // the \r\n after the bytes
        return value;
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var line = Encoding.UTF8.GetString(_buffer, _start, length - 1); // without \r\n
                _start += length + 1;
                return line.Length > 0 ? line : throw new IOException("Empty RESP line.");
            }
            scanned = _end - _start;
            await FillAsync(scanned + 1, cancellationToken);
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> unread bytes are buffered.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        if (_buffer.Length - _start < count)
        {
            var unread = _end - _start;
            var target = count > _buffer.Length ? new byte[Math.Max(count, _buffer.Length * 2)] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            (_buffer, _start, _end) = (target, 0, unread);
        }
        while (_end - _start < count)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read > 0 ? read : throw new IOException("Redis closed the connection.");
        }
    }
}
