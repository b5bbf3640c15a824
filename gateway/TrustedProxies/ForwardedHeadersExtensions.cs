using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using MsaShop.Gateway.TrustedProxies;

namespace Microsoft.Extensions.Hosting;

public static class ForwardedHeadersExtensions
{
    /// <summary>
    /// The client's own address and scheme from <c>X-Forwarded-For</c>/<c>-Proto</c>, believed only from the
    /// proxies in <c>Gateway:ForwardedHeaders</c>, so rate limits and canary buckets key on the real client
    /// behind an ingress. <c>app.UseForwardedHeaders()</c> must come before anything that reads the address.
    /// </summary>
    public static TBuilder AddGatewayForwardedHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TrustedProxyOptions>()
            .BindConfiguration(TrustedProxyOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
            {
                // The middleware reads the headers from anyone when both lists are empty: with no proxy
                // configured it must read nothing at all.
                forwarded.ForwardedHeaders = trusted.Value.IsEmpty
                    ? ForwardedHeaders.None
                    : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

                // ASP.NET Core trusts loopback by default: only what is configured here counts.
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in trusted.Value.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in trusted.Value.KnownNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }

                // Walk back through every trusted hop (a CDN before the ingress), stopping at the first untrusted one.
                forwarded.ForwardLimit = null;
            });
        return builder;
    }
}
