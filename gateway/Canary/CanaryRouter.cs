using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MsaShop.ServiceDefaults.Authorization;

namespace MsaShop.Gateway.Canary;

/// <summary>
/// Decides, per request, whether a catalog call goes to the canary. Each user (or anonymous client
/// address) owns a fixed bucket 0..99 and is on the canary while bucket &lt; weight: the same user
/// always sees the same version, and raising the weight only ever moves users onto the canary.
/// </summary>
public sealed class CanaryRouter(IOptionsMonitor<CanaryOptions> options)
{
    /// <summary>
    /// <c>X-Canary: always</c> forces the canary, <c>X-Canary: never</c> forces stable: an operator's tool
    /// (smoke tests before and after a switch), honoured for the admin role only and ignored from anyone else.
    /// </summary>
    public const string HeaderName = "X-Canary";

    public bool RoutesToCanary(HttpContext context) =>
        ForcedSide(context) ?? options.CurrentValue.Weight switch
        {
            // Nobody (or everybody) is on the canary: no client key to build, no hash to compute, on every request.
            <= 0 => false,
            >= 100 => true,
            var weight => BucketOf(ClientKeys.Of(context)) < weight,
        };

    // Anyone else could pick a version nobody has released to them yet, or skew the share the canary is judged by.
    private static bool? ForcedSide(HttpContext context)
    {
        if (!context.User.IsInRole(AuthorizationPolicies.AdminRole))
        {
            return null;
        }

        var forced = context.Request.Headers[HeaderName].ToString();
        return forced.Equals("always", StringComparison.OrdinalIgnoreCase) ? true
            : forced.Equals("never", StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }

    // SHA-256 rather than string.GetHashCode, which differs per process: every gateway replica must agree.
    internal static int BucketOf(string clientKey) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(clientKey))) % 100);
}
