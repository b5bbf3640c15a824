using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace MsaShop.ServiceDefaults.Errors;

/// <summary>Puts the exception handler and status code pages in front of the service's own pipeline.</summary>
internal sealed class ProblemDetailsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ExceptionProblemDetails.StatusCodeFor,
        });
        app.UseStatusCodePages(EmptyErrorResponses.WriteProblemDetailsAsync);
        next(app);
    };
}
