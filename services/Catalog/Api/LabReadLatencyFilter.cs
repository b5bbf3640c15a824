using Microsoft.Extensions.Options;

namespace MsaShop.Catalog.Api;

/// <summary>The pattern lab's slow catalog (<see cref="CatalogOptions.ReadLatency"/>), in Development only.</summary>
internal sealed class LabReadLatencyFilter(IOptionsMonitor<CatalogOptions> options, IHostEnvironment environment) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (environment.IsDevelopment() && options.CurrentValue.ReadLatency is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.HttpContext.RequestAborted);
        }
        return await next(context);
    }
}
