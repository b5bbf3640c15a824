using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Health;

/// <summary>
/// YARP does not retry. A GET, HEAD or OPTIONS without a body that failed to reach a destination
/// (connection refused, reset, closed before any response) is safe to send again, so it goes to
/// each other available destination of its cluster in turn until one answers.
/// </summary>
internal sealed class ConnectionFailureRetryMiddleware(
    RequestDelegate next,
    IProxyStateLookup proxyState,
    ILogger<ConnectionFailureRetryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsSafeToRepeat(context.Request))
        {
            await next(context);
            return;
        }

        List<DestinationState>? tried = null;
        while (true)
        {
            await next(context);

            var proxy = context.GetReverseProxyFeature();
            if (!FailedToReachDestination(context) || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            // Allocated only once a request fails: the common case pays nothing.
            (tried ??= []).Add(failed);
            var untried = AvailableDestinations(proxy).Except(tried).ToList();
            if (untried.Count == 0)
            {
                return;
            }

            logger.LogWarning(
                "Destination {Destination} of {Cluster} could not be reached; retrying {Method} {Path} on another destination",
                failed.DestinationId, proxy.Cluster.Config.ClusterId, context.Request.Method, context.Request.Path);

            // Undo what the failed attempt left behind, so the forwarder sees a fresh request.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            proxy.AvailableDestinations = untried;
        }
    }

    private static bool IsSafeToRepeat(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && request.ContentLength is null or 0
        && !request.Headers.ContainsKey(HeaderNames.TransferEncoding);

    private static bool FailedToReachDestination(HttpContext context) =>
        !context.Response.HasStarted && context.GetForwarderErrorFeature()?.Error == ForwarderError.Request;

    // The load balancer narrowed the request's list to the one it picked: start again from the cluster's.
    private IReadOnlyList<DestinationState> AvailableDestinations(IReverseProxyFeature proxy) =>
        proxyState.TryGetCluster(proxy.Cluster.Config.ClusterId, out var cluster)
            ? cluster.DestinationsState.AvailableDestinations
            : [];
}
