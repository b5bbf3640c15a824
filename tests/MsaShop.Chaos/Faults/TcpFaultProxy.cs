using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MsaShop.Chaos.Faults;

/// <summary>
/// A TCP proxy on a loopback port in front of one server (here PostgreSQL): it forwards bytes both ways, and on
/// demand makes the link slow (<see cref="Latency"/>, each way), lossy (<see cref="LossRate"/>: a lost segment costs
/// a retransmission timeout, as it would under TCP) or dead (<see cref="DropConnections"/>). What a service sees is
/// a bad network between it and its database; the server itself is untouched.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    // TCP's minimum retransmission timeout is 200 ms; a loaded link's is nearer a second.
    private static readonly TimeSpan RetransmissionTimeout = TimeSpan.FromSeconds(1);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly Task _accepting;

    private TcpFaultProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The port services connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Added to every chunk of bytes, in each direction: a round trip costs twice this.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Share (0..1) of chunks that are "lost" and arrive one retransmission timeout late.</summary>
    public double LossRate { get; set; }

    public static TcpFaultProxy Start(int targetPort) => new(targetPort);

    /// <summary>A clean link again: no latency, no loss.</summary>
    public void Heal()
    {
        Latency = TimeSpan.Zero;
        LossRate = 0;
    }

    /// <summary>Resets every open connection, as a network partition ends them; new connections still go through.</summary>
    public void DropConnections()
    {
        foreach (var link in _links.Keys)
        {
            link.Abort();
        }
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var link = new Link(client, server);
        _links.TryAdd(link, 0);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            // When either direction ends, the link ends: the other side sees the connection close.
            await Task.WhenAny(PumpAsync(client, server, cancellationToken), PumpAsync(server, client, cancellationToken));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _links.TryRemove(link, out _);
            link.Abort();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }
                var delay = Latency + (Random.Shared.NextDouble() < LossRate ? RetransmissionTimeout : TimeSpan.Zero);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellationToken);
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        DropConnections();
        _stop.Dispose();
    }

    private sealed class Link(Socket client, Socket server)
    {
        public void Abort()
        {
            // Linger 0: close with a reset, as a broken network does, not a polite FIN.
            foreach (var socket in new[] { client, server })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
