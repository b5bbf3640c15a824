namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// Sends each attempt to an instance resolved at that moment, then puts the logical address back,
/// so a retry from the resilience handler outside picks an instance afresh.
/// </summary>
public sealed class ServiceDiscoveryHandler(IServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var logicalUri = request.RequestUri
            ?? throw new InvalidOperationException("The request has no address to resolve.");

        request.RequestUri = resolver.Resolve(logicalUri);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = logicalUri;
        }
    }
}
