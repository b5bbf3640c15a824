using MsaShop.Gateway.RateLimiting;

namespace Microsoft.Extensions.Hosting;

public static class RateLimitingExtensions
{
    /// <summary>The per-client policy that every gateway route names; limits from <c>Gateway:RateLimit</c>.</summary>
    public static TBuilder AddGatewayRateLimiting<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(limits => limits.IPv6PrefixLength is >= 1 and <= 128,
                $"{RateLimitOptions.SectionName}:IPv6PrefixLength must be 1 to 128.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, PerClientRateLimitPolicy>(PerClientRateLimitPolicy.Name);
        });
        return builder;
    }
}
