using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace MsaShop.ServiceDefaults.Telemetry;

/// <summary>
/// Names the ASP.NET Core server span "METHOD route" and tags it with http.route and
/// http.response.status_code, as the OpenTelemetry HTTP conventions ask (ASP.NET Core 10 does not).
/// Health probes are not recorded: orchestrators poll them every few seconds.
/// </summary>
/// <remarks>
/// Runs inside the exception handler: the route is read before that handler clears the endpoint,
/// the status code when the response starts, after any handler has set it.
/// </remarks>
internal sealed class ServerSpanStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { } activity)
            {
                await nextMiddleware(context);
                return;
            }

            if (IsHealthProbe(context.Request.Path))
            {
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                activity.IsAllDataRequested = false;
                await nextMiddleware(context);
                return;
            }

            context.Response.OnStarting(() =>
            {
                TagStatusCode(activity, context.Response.StatusCode);
                return Task.CompletedTask;
            });
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                NameAfterRoute(activity, context);
            }
        });
        next(app);
    };

    private static bool IsHealthProbe(PathString path) =>
        path.Equals(HealthChecksExtensions.ReadinessPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(HealthChecksExtensions.LivenessPath, StringComparison.OrdinalIgnoreCase);

    private static void NameAfterRoute(Activity activity, HttpContext context)
    {
        var method = context.Request.Method;
        if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route)
        {
            activity.DisplayName = $"{method} {route}";
            activity.SetTag("http.route", route);
        }
        else
        {
            activity.DisplayName = method;
        }
    }

    private static void TagStatusCode(Activity activity, int statusCode)
    {
        activity.SetTag("http.response.status_code", statusCode);
        if (statusCode >= StatusCodes.Status500InternalServerError)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
