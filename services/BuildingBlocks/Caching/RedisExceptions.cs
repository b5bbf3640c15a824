namespace MsaShop.Caching;

/// <summary>Redis answered the command with an error reply (e.g. <c>ERR wrong number of arguments</c>).</summary>
public class RedisException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>Redis could not be reached, or did not answer in time: a cache treats it as a miss.</summary>
public sealed class RedisConnectionException(string message, Exception? innerException = null)
    : RedisException(message, innerException);
