using Microsoft.Extensions.Options;
using MsaShop.Gateway.OpenApi;
using MsaShop.Gateway.RateLimiting;
using MsaShop.Gateway.Storefront;

namespace Microsoft.Extensions.Hosting;

public static class StorefrontExtensions
{
    public static TBuilder AddStorefront<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<StorefrontOptions>().BindConfiguration(StorefrontOptions.SectionName);
        return builder;
    }

    /// <summary>
    /// The storefront's files (gateway/wwwroot: static HTML, CSS and JavaScript, no build step), <c>/</c> being
    /// index.html. Middleware rather than endpoints: a path that is no file stays a plain 404 for every method. Not for
    /// /api: a proxied call would otherwise ask the file system whether its path is a folder of the storefront.
    /// </summary>
    public static WebApplication UseStorefront(this WebApplication app)
    {
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), storefront =>
        {
            storefront.UseDefaultFiles();
            storefront.UseStaticFiles(new StaticFileOptions
            {
                // Revalidated on each load (ETag): a new release is seen at once, an unchanged file costs a 304.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }

    /// <summary>The settings the page reads, and in Development the sign-in that gives it a customer token.</summary>
    public static WebApplication MapStorefront(this WebApplication app)
    {
        var isDevelopment = app.Environment.IsDevelopment();
        var storefront = app.MapGroup("/storefront").AllowAnonymous().RequireRateLimiting(PerClientRateLimitPolicy.Name);
        storefront.MapGet("/settings", (IOptions<StorefrontOptions> options) => TypedResults.Ok(new StorefrontSettings(
            DevelopmentSignIn: isDevelopment,
            ApiReference: isDevelopment ? ApiReferenceExtensions.ReferencePath : null,
            DashboardUrl: options.Value.DashboardUrl)));
        if (isDevelopment)
        {
            storefront.MapPost("/dev-token", DevelopmentSignIn.Handle);
        }
        return app;
    }
}
