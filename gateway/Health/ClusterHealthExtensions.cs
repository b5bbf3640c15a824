using MsaShop.Gateway.Health;

namespace Microsoft.Extensions.Hosting;

public static class ClusterHealthExtensions
{
    /// <summary>The gateway's /health (readiness) reports its clusters' destinations, not only its own process.</summary>
    public static TBuilder AddClusterHealthCheck<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>(ClusterHealthCheck.Name);
        return builder;
    }
}
