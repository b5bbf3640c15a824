namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// A logical address such as <c>https+http://catalog/api/items?id=1</c>: the schemes in order of
/// preference, the service name, and the path and query to keep once an instance is chosen.
/// </summary>
internal sealed record ServiceAddress(IReadOnlyList<string> Schemes, string ServiceName, Uri Original)
{
    public static ServiceAddress Parse(Uri serviceUri)
    {
        if (!serviceUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{serviceUri}' is not an absolute service address.", nameof(serviceUri));
        }

        var schemes = serviceUri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        return new ServiceAddress(schemes, serviceUri.IdnHost, serviceUri);
    }

    /// <summary>
    /// An unconfigured name goes to DNS as it is. From a scheme list ("https+http") it takes http when
    /// listed: without configuration nothing says the name serves TLS, while in-cluster names
    /// (Kubernetes services) do serve plain HTTP.
    /// </summary>
    public Uri PassThrough()
    {
        if (Schemes.Count == 1)
        {
            return Original;
        }

        var scheme = Schemes.Contains(Uri.UriSchemeHttp, StringComparer.OrdinalIgnoreCase) ? Uri.UriSchemeHttp : Schemes[0];
        return new UriBuilder(Original) { Scheme = scheme, Port = Original.IsDefaultPort ? -1 : Original.Port }.Uri;
    }

    /// <summary>The instance's scheme, host and port with this address's path and query.</summary>
    public Uri Rebase(Uri instance) => new UriBuilder(Original)
    {
        Scheme = instance.Scheme,
        Host = instance.Host,
        Port = instance.Port,
    }.Uri;
}
