using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MsaShop.Client;

/// <summary>The shop answered with an error: its status, the problem it described, and the wait it asked for.</summary>
public sealed class ShopApiException(HttpStatusCode status, ShopProblem? problem, TimeSpan? retryAfter, string message)
    : HttpRequestException(message, null, status)
{
    public HttpStatusCode Status => status;

    /// <summary>The problem details of the answer; null when its body was not one (a gateway's bare 401, say).</summary>
    public ShopProblem? Problem => problem;

    public string? Title => problem?.Title;

    public string? Detail => problem?.Detail;

    /// <summary>Retry-After of a 429 or 503: the request was not taken and may be sent again after this wait.</summary>
    public TimeSpan? RetryAfter => retryAfter;

    internal static async Task ThrowUnlessSuccessAsync(HttpRequestMessage request, HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var problem = await ReadProblemAsync(response, cancellationToken);
        var described = problem is null ? "" : $": {problem.Title}{(problem.Detail is null ? "" : $" ({problem.Detail})")}";
        throw new ShopApiException(response.StatusCode, problem, RefusalWait(response),
            $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}{described}");
    }

    /// <summary>The wait Retry-After asks for on a 429 or 503; null on any other answer.</summary>
    internal static TimeSpan? RefusalWait(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            ? response.Headers.RetryAfter is { } retryAfter ? retryAfter.Delta ?? retryAfter.Date - DateTimeOffset.UtcNow : null
            : null;

    private static async Task<ShopProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }
        try
        {
            return await response.Content.ReadFromJsonAsync(ProblemJsonContext.Default.ShopProblem, cancellationToken);
        }
        catch (JsonException)
        {
            return null; // An error body that is not a problem: the status says what there is to say.
        }
    }
}
