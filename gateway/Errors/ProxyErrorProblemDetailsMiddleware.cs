using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Forwarder;

namespace MsaShop.Gateway.Errors;

/// <summary>
/// YARP answers a failed forward with a bare 502/503/504; this writes a ProblemDetails that says
/// which service failed and how.
/// </summary>
internal sealed class ProxyErrorProblemDetailsMiddleware(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var status = context.Response.StatusCode;
        if (context.Response.HasStarted || status < StatusCodes.Status500InternalServerError
            || context.GetForwarderErrorFeature() is not { } error)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = ReasonPhrases.GetReasonPhrase(status),
                Detail = error.Error switch
                {
                    ForwarderError.NoAvailableDestinations => $"No healthy instance of the {service} service is available.",
                    ForwarderError.RequestTimedOut => $"The {service} service did not answer in time.",
                    _ => $"The {service} service could not be reached.",
                },
            },
        });
    }
}
