using System.Net;
using System.Net.Sockets;

namespace MsaShop.Harness;

public static class FreePort
{
    /// <summary>A loopback port the kernel considers free right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True while something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
