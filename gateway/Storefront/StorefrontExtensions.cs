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
    /// The storefront (gateway/wwwroot: static HTML, CSS and JavaScript, no build step) at <c>/</c>, the settings
    /// it reads, and in Development the sign-in that gives it a customer token.
    /// </summary>
    public static WebApplication MapStorefront(this WebApplication app)
    {
        // Precompressed, fingerprinted and cached as the SDK's static web assets: the first load stays small.
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/", () => TypedResults.Redirect("/index.html")).ExcludeFromDescription();

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
