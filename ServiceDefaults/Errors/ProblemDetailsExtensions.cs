using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.ServiceDefaults.Errors;

namespace Microsoft.Extensions.Hosting;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error response becomes RFC 7807 ProblemDetails: thrown exceptions (bad input → its 4xx,
    /// anything else → 500 without a stack) and empty 4xx/5xx responses. The middleware is added by a
    /// startup filter, so services need no extra app.Use... call. A body that is not JSON, or not the JSON an
    /// endpoint expects, is a 400 in every environment: minimal APIs never throw for it (in Development they
    /// would, and the developer exception page, which sits inside the startup filter's handler, would log an
    /// error with its stack and answer a browser with HTML).
    /// </summary>
    public static TBuilder AddDefaultProblemDetails<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = ExceptionProblemDetails.Customize);
        builder.Services.AddTransient<IStartupFilter, ProblemDetailsStartupFilter>();
        builder.Services.PostConfigure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return builder;
    }
}
