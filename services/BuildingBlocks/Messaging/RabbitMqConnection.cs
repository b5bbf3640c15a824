namespace MsaShop.Messaging;

/// <summary>The parts of an <c>amqp://user:password@host:port/vhost</c> connection string (the form Aspire injects).</summary>
public sealed record RabbitMqConnection(string Host, ushort Port, string VirtualHost, string UserName, string Password, bool UseSsl)
{
    public static RabbitMqConnection Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new FormatException("The messaging connection string must be an amqp:// or amqps:// URI.");
        }

        var useSsl = uri.Scheme == "amqps";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (useSsl ? 5671 : 5672) : uri.Port;
        var credentials = uri.UserInfo.Split(':', 2);
        var userName = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        // The path is the vhost, percent-encoded ("/%2F" is the default vhost "/"); no path means "/".
        var path = uri.AbsolutePath.TrimStart('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        return new RabbitMqConnection(uri.Host, (ushort)port, virtualHost, userName, password, useSsl);
    }

    public override string ToString() => $"{(UseSsl ? "amqps" : "amqp")}://{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
