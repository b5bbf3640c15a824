using System.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

public static class TraceResponseHeader
{
    /// <summary>W3C Trace Context level 2's response header: <c>00-{trace id}-{span id}-{flags}</c>.</summary>
    public const string HeaderName = "traceresponse";

    /// <summary>
    /// Tells the caller which trace its request became (the gateway's span: the root, or the child of the
    /// traceparent the caller sent), so a client, the storefront included, can look the request up in the
    /// tracing backend.
    /// </summary>
    public static WebApplication UseTraceResponseHeader(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            {
                context.Response.Headers[HeaderName] = activity.Id;
            }
            return next(context);
        });
        return app;
    }
}
