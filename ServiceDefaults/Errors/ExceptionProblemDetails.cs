using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Polly;

namespace MsaShop.ServiceDefaults.Errors;

/// <summary>How an unhandled exception is told to the client: a status code and a ProblemDetails, never a stack.</summary>
internal static class ExceptionProblemDetails
{
    public static int StatusCodeFor(Exception exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.StatusCode,
        // A dependency is down or too slow (open circuit, timeout): the service is unavailable, not broken.
        ExecutionRejectedException => StatusCodes.Status503ServiceUnavailable,
        // So is the service's own database when it cannot be reached (down, restarting, the connection cut): a retry may work.
        DbException { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static void Customize(ProblemDetailsContext context)
    {
        if (context.Exception is not { } exception)
        {
            return;
        }

        var status = StatusCodeFor(exception);
        context.HttpContext.Response.StatusCode = status;
        context.ProblemDetails.Status = status;
        context.ProblemDetails.Title = ReasonPhrases.GetReasonPhrase(status);
        // Client errors explain what was wrong with the request; server errors stay opaque (the log has the stack).
        context.ProblemDetails.Detail = status < StatusCodes.Status500InternalServerError ? exception.Message : null;
        context.ProblemDetails.Extensions.Remove("exception");
    }
}
