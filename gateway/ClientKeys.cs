using System.Net;
using System.Net.Sockets;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Gateway;

/// <summary>
/// Who is calling, for rate limits and canary stickiness: the token's subject, else the client address
/// (a trusted proxy's <c>X-Forwarded-For</c>, see <c>TrustedProxies/</c>).
/// </summary>
internal static class ClientKeys
{
    /// <summary>
    /// The caller's key; an anonymous IPv6 client is keyed by its first <paramref name="ipv6PrefixLength"/> bits, since one
    /// subscriber usually holds a whole /64 and could otherwise take a fresh key (a fresh budget) for every request.
    /// </summary>
    public static string Of(HttpContext context, int ipv6PrefixLength = 128) =>
        context.User.FindFirst(JwtClaims.Subject)?.Value is { } subject
            ? $"user:{subject}"
            : $"ip:{AddressKey(context.Connection.RemoteIpAddress, ipv6PrefixLength)}";

    private static string? AddressKey(IPAddress? address, int ipv6PrefixLength) => address switch
    {
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } when ipv6PrefixLength < 128 =>
            new IPNetwork(Masked(address, ipv6PrefixLength), ipv6PrefixLength).ToString(),
        _ => address?.ToString(),
    };

    private static IPAddress Masked(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }
}
