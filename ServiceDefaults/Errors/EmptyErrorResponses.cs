using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MsaShop.ServiceDefaults.Errors;

/// <summary>
/// Status code pages: an error response that left the endpoint without a body (401 from the JWT challenge, 404 of
/// an unknown route, 400 when a minimal API could not bind a parameter) is given a ProblemDetails body.
/// </summary>
internal static partial class EmptyErrorResponses
{
    public static async Task WriteProblemDetailsAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var problem = new ProblemDetails { Status = status };
        if (status == StatusCodes.Status400BadRequest)
        {
            // Minimal APIs refuse a body they cannot read without an exception (RouteHandlerOptions.ThrowOnBadRequest
            // is off): the client's mistake is a warning, never an error with a stack.
            problem.Detail = BadRequestDetail(http);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmptyErrorResponses));
            LogBadRequest(logger, http.Request.Method, http.Request.Path, problem.Detail);
        }

        var problemDetails = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            // A client that accepts no JSON (a browser asking for HTML) gets the status in plain text, never a page.
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync($"{status} {ReasonPhrases.GetReasonPhrase(status)}. {problem.Detail}", http.RequestAborted);
        }
    }

    private static string BadRequestDetail(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null && http.Request.HasJsonContentType()
            ? "The request body is not valid JSON, or a value in it does not have the type the API expects (see its OpenAPI document)."
            : "A required value is missing from the request, or a value in its path, query or headers does not have the expected type.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} refused with 400: {Detail}")]
    private static partial void LogBadRequest(ILogger logger, string method, PathString path, string detail);
}
