using Microsoft.Extensions.Options;

namespace MsaShop.Catalog.Api;

/// <summary>The pattern lab's slow catalog (<see cref="CatalogOptions.ReadLatency"/>); MapCatalogApi adds it in Development only.</summary>
internal sealed class LabReadLatencyFilter(IOptionsMonitor<CatalogOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.CurrentValue.ReadLatency is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.HttpContext.RequestAborted);
        }
        return await next(context);
    }
}
