using System.Net;
using System.Net.Sockets;

namespace MsaShop.Harness;

/// <summary>
/// A loopback port that refuses every connection for as long as this lives: held bound, never listening. A port from
/// <see cref="FreePort.Next"/> is free only until the next server asks the kernel for one, and then it may answer.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // .NET binds with SO_REUSEADDR on Unix, which lets a listener share a port nobody listens on yet: not this one.
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public void Dispose() => _socket.Dispose();
}
