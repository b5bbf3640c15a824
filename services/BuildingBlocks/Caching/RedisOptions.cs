using System.Globalization;

namespace MsaShop.Caching;

/// <summary>
/// Where and how to reach Redis, parsed from the connection string Aspire injects:
/// <c>host:port[,password=...][,user=...][,ssl=true][,defaultDatabase=n][,connectTimeout=ms][,asyncTimeout=ms]</c>
/// (StackExchange.Redis' names; its other options are accepted and ignored).
/// </summary>
public sealed record RedisOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 6379;

    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>The logical database (SELECT n) every connection uses; 0 unless configured.</summary>
    public int Database { get; init; }

    /// <summary>How long opening a connection (TCP, TLS, AUTH) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one command may take, including the wait for a free pooled connection.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many connections are open at once; callers beyond it wait.</summary>
    public int MaxConnections { get; init; } = 32;

    public static RedisOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var (host, port) = ParseEndpoint(parts[0]);
        var options = new RedisOptions { Host = host, Port = port };
        foreach (var part in parts.Skip(1))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                throw new FormatException($"Redis connection string option '{part}' is not key=value.");
            }
            var value = part[(separator + 1)..];
            options = part[..separator].ToUpperInvariant() switch
            {
                "PASSWORD" => options with { Password = value },
                "USER" => options with { User = value },
                "SSL" => options with { Ssl = bool.Parse(value) },
                "DEFAULTDATABASE" => options with { Database = int.Parse(value, CultureInfo.InvariantCulture) },
                "CONNECTTIMEOUT" => options with { ConnectTimeout = Milliseconds(value) },
                "ASYNCTIMEOUT" or "SYNCTIMEOUT" => options with { CommandTimeout = Milliseconds(value) },
                _ => options,
            };
        }
        return options;
    }

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        // "[::1]:6379" and "host:6379" carry a port; a bare host or "[::1]" uses the default.
        if (colon < 0 || endpoint.EndsWith(']'))
        {
            return (endpoint.Trim('[', ']'), 6379);
        }
        return (endpoint[..colon].Trim('[', ']'), int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    private static TimeSpan Milliseconds(string value) =>
        TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture));
}
