using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;
using Polly;

namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// Sends each attempt to an instance <see cref="EndpointEjections"/> has in rotation, and ejects the instance when the
/// attempt gets no answer (a refused or broken connection, a timeout). It sits inside the resilience handler, so a
/// retry after a refusal goes to another instance, never back to the dead one; and outside service discovery's own
/// handler, which then finds an address it passes through. An attempt it steps around is marked
/// (<see cref="SteppedAroundFailure"/>) for the circuit breaker, which judges the service, not one instance.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.ServiceDiscovery chooses among instances round robin, with no extension point (its selector
/// is internal), and the standard hedging handler's per-endpoint breakers key on the request's authority, which is
/// the logical name until discovery has resolved it: neither steps around a dead instance. The resolver is public.
/// </remarks>
internal sealed partial class EndpointEjectingHandler(
    ServiceEndpointResolver resolver, EndpointEjections ejections, ILogger<EndpointEjectingHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requested = request.RequestUri!;
        var service = requested.GetLeftPart(UriPartial.Authority);
        var instances = await resolver.GetEndpointsAsync(service, cancellationToken);
        if (instances.Endpoints.Count < 2)
        {
            // Nothing to step around to: one address (a Kubernetes Service, DCP's proxy) balances behind itself.
            return await base.SendAsync(request, cancellationToken);
        }

        var endpoint = ejections.Select(service, instances.Endpoints);
        var attempt = request.GetResilienceContext();
        attempt?.Properties.Set(SteppedAroundFailure.Key, false);
        request.RequestUri = AddressOf(endpoint, requested);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            ejections.Restore(endpoint);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogEjected(logger, service, endpoint.EndPoint.ToString(), ex.GetType().Name);
            ejections.Eject(endpoint);
            attempt?.Properties.Set(SteppedAroundFailure.Key, instances.Endpoints.Any(other => !ejections.IsEjected(other)));
            throw;
        }
        finally
        {
            // A retry sends the same message again, by its logical name.
            request.RequestUri = requested;
        }
    }

    private static Uri AddressOf(ServiceEndpoint endpoint, Uri requested)
    {
        var (host, port) = endpoint.EndPoint switch
        {
            UriEndPoint uri => (uri.Uri.Host, uri.Uri.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            _ => (requested.Host, requested.Port),
        };
        var scheme = endpoint.EndPoint is UriEndPoint { Uri.Scheme: var own } ? own : requested.Scheme;
        return new UriBuilder(requested) { Scheme = scheme, Host = host, Port = port }.Uri;
    }

    [LoggerMessage(LogLevel.Warning, "{Service} instance {Endpoint} gave no answer ({Error}): stepped around for a while")]
    private static partial void LogEjected(ILogger logger, string service, string? endpoint, string error);
}
