using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace MsaShop.Harness;

/// <summary>A throwaway redis-server: no persistence, loopback only.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ProcessRegistry _registry;
    private ServerProcess? _server;

    private RedisServer(string directory, int port, ProcessRegistry registry)
    {
        _directory = directory;
        Port = port;
        _registry = registry;
    }

    public int Port { get; }

    /// <summary>Numbered databases the server holds (Redis's default is 16): one per test class that asks, never shared.</summary>
    public const int Databases = 1024;

    public int? Pid => _server?.Pid;

    /// <summary>The form Aspire injects for a Redis resource: host:port.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    private string LogPath => Path.Combine(_directory, "redis.log");

    internal static async Task<RedisServer> StartAsync(string root, ProcessRegistry registry, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "redis")).FullName;
        var server = new RedisServer(directory, FreePort.Next(), registry);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts (or restarts) the server on the same port; the data starts empty.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server = ServerProcess.Start(_registry, new ProcessStartInfo("redis-server",
            ["--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory,
             "--databases", Databases.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--proc-title-template", "{title} {listen-addr} " + _directory]), LogPath);
        await CommandRunner.WaitUntilAsync(PingAsync, $"Redis on port {Port}", LogPath, TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(PosixCalls.SigTerm, TimeSpan.FromSeconds(10));
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<bool> PingAsync()
    {
        if (_server is null || _server.HasExited)
        {
            throw new InvalidOperationException($"redis-server exited during start-up; see {LogPath}");
        }
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
