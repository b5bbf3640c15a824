using MsaShop.Catalog;

namespace Microsoft.AspNetCore.Builder;

public static class CatalogVersionHeader
{
    public const string HeaderName = "X-Catalog-Version";

    /// <summary>
    /// Names this instance's release on every response (<see cref="ReleaseTrack"/>: "stable" unless the
    /// instance is started as the canary), so the gateway and its tests can tell which one answered.
    /// </summary>
    public static WebApplication UseCatalogVersionHeader(this WebApplication app)
    {
        var version = app.Services.GetRequiredService<ReleaseTrack>().Version;
        app.Use((context, next) =>
        {
            // OnStarting: the header survives the exception handler clearing the response.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[HeaderName] = version;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
