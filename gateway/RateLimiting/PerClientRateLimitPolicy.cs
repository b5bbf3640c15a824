using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MsaShop.Gateway.RateLimiting;

/// <summary>
/// A fixed window per user (token subject), or per client address when anonymous (per /64 network for IPv6), so one noisy
/// client cannot starve the others. Rejections are 429 ProblemDetails with Retry-After.
/// </summary>
internal sealed class PerClientRateLimitPolicy(IOptionsMonitor<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "per-client";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteTooManyRequestsAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientKeys.Of(httpContext, options.CurrentValue.IPv6PrefixLength), _ =>
            new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.CurrentValue.PermitLimit,
            Window = options.CurrentValue.Window,
            QueueLimit = 0,
        });

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var detail = "Too many requests from this client.";
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
            detail += $" Retry after {seconds} s.";
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = detail,
            },
        });
    }
}
