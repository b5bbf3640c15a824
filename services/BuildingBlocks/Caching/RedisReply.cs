namespace MsaShop.Caching;

/// <summary>One RESP2 reply: the five shapes Redis answers with (simple string, error, integer, bulk string, array).</summary>
public abstract record RedisReply
{
    private RedisReply()
    {
    }

    /// <summary><c>+OK</c>, <c>+PONG</c>.</summary>
    public sealed record SimpleString(string Value) : RedisReply;

    /// <summary><c>-ERR ...</c>: the command failed; the connection is still fine.</summary>
    public sealed record ServerError(string Message) : RedisReply;

    public sealed record Number(long Value) : RedisReply;

    /// <summary>Binary-safe bytes; <see langword="null"/> is Redis' nil (e.g. GET of a missing key).</summary>
    public sealed record BulkString(byte[]? Value) : RedisReply;

    /// <summary>Several replies; <see langword="null"/> is the nil array.</summary>
    public sealed record Array(IReadOnlyList<RedisReply>? Items) : RedisReply;
}
