using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Gateway;

/// <summary>
/// Who is calling, for rate limits and canary stickiness: the token's subject, else the client address
/// (a trusted proxy's <c>X-Forwarded-For</c>, see <c>TrustedProxies/</c>).
/// </summary>
internal static class ClientKeys
{
    public static string Of(HttpContext context) =>
        context.User.FindFirst(JwtClaims.Subject)?.Value is { } subject
            ? $"user:{subject}"
            : $"ip:{context.Connection.RemoteIpAddress}";
}
