using System.Net;
using Microsoft.Extensions.Options;

namespace MsaShop.Gateway.TrustedProxies;

/// <summary>
/// The proxies in front of the gateway (section <c>Gateway:ForwardedHeaders</c>) whose <c>X-Forwarded-For</c>
/// and <c>X-Forwarded-Proto</c> are believed: an ingress controller, Container Apps' envoy. Empty (the
/// default) believes nobody: the client address is the TCP peer's.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "Gateway:ForwardedHeaders";

    /// <summary>Addresses of single proxies, e.g. <c>10.0.0.4</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies run in, in CIDR notation, e.g. <c>10.244.0.0/16</c> (a cluster's pod network).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    internal bool IsEmpty => KnownProxies.Count == 0 && KnownNetworks.Count == 0;
}

/// <summary>Stops start-up on an entry that is not an address (proxies) or a CIDR network (networks), naming it.</summary>
internal sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var invalid = options.KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)).Select(proxy => $"KnownProxies '{proxy}'")
            .Concat(options.KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _))
                .Select(network => $"KnownNetworks '{network}'"))
            .ToList();
        return invalid.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{TrustedProxyOptions.SectionName}: {string.Join(", ", invalid)} is not an IP address (KnownProxies) or a CIDR network " +
                    $"such as 10.244.0.0/16 (KnownNetworks).");
    }
}
