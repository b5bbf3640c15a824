using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// Resolves service names from the configuration keys Aspire injects:
/// <c>services:{name}:{scheme}:{index}</c> (env <c>services__catalog__http__0</c>), or one value
/// <c>services:{name}:{scheme}</c> holding a list separated by ';' or ','.
/// A name absent from configuration passes through to DNS unchanged.
/// </summary>
public sealed class ConfigurationServiceEndpointResolver(IConfiguration configuration) : IServiceEndpointResolver
{
    private const string SectionName = "services";
    private readonly ConcurrentDictionary<string, RoundRobinCounter> _counters = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<Uri> ResolveAll(Uri serviceUri)
    {
        var address = ServiceAddress.Parse(serviceUri);
        var service = configuration.GetSection(SectionName).GetSection(address.ServiceName);
        if (!service.Exists())
        {
            return [address.PassThrough()];
        }

        var instances = address.Schemes.SelectMany(scheme => EndpointsOf(service, scheme)).ToList();
        return instances.Count > 0
            ? instances.Select(address.Rebase).ToList()
            : throw NoEndpoint(address);
    }

    public Uri Resolve(Uri serviceUri)
    {
        var address = ServiceAddress.Parse(serviceUri);
        var service = configuration.GetSection(SectionName).GetSection(address.ServiceName);
        if (!service.Exists())
        {
            return address.PassThrough();
        }

        // The first scheme with any instance wins ("https+http": https when there is one).
        foreach (var scheme in address.Schemes)
        {
            var instances = EndpointsOf(service, scheme);
            if (instances.Count > 0)
            {
                var counter = _counters.GetOrAdd($"{address.ServiceName}:{scheme}", _ => new RoundRobinCounter());
                return address.Rebase(instances[counter.Next(instances.Count)]);
            }
        }

        throw NoEndpoint(address);
    }

    private static List<Uri> EndpointsOf(IConfigurationSection service, string scheme)
    {
        var section = service.GetSection(scheme);
        // A parent key may exist with an empty value next to its indexed children (e.g. in-memory settings).
        var values = section.Value is { Length: > 0 } list
            ? list.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren()
                .OrderBy(child => int.TryParse(child.Key, out var index) ? index : int.MaxValue)
                .Select(child => child.Value)
                .OfType<string>();

        return values
            .Select(value => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToList();
    }

    private static InvalidOperationException NoEndpoint(ServiceAddress address)
    {
        var keys = string.Join(" or ", address.Schemes.Select(scheme => $"'{SectionName}:{address.ServiceName}:{scheme}'"));
        return new InvalidOperationException(
            $"Service '{address.ServiceName}' is configured but has no {string.Join("/", address.Schemes)} endpoint: " +
            $"set {keys} (e.g. {SectionName}:{address.ServiceName}:{address.Schemes[0]}:0=http://127.0.0.1:5000).");
    }

    private sealed class RoundRobinCounter
    {
        private int _next = -1;

        public int Next(int count) => (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
    }
}
