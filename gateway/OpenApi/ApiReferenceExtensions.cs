using MsaShop.Gateway.OpenApi;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.Hosting;

public static class ApiReferenceExtensions
{
    public const string ReferencePath = "/scalar";

    /// <summary>
    /// In Development, one page listing every service's OpenAPI document (Scalar, served from the gateway itself:
    /// its script is embedded in the package, and no font or telemetry is fetched from elsewhere).
    /// </summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }

        app.MapScalarApiReference(ReferencePath, options =>
        {
            options.WithTitle("MsaShop API reference")
                .WithOpenApiRoutePattern(ApiDocumentRoutes.PathOf("{documentName}"))
                .AddDocuments(ApiDocumentRoutes.Services)
                .DisableDefaultFonts()
                .AddPreferredSecuritySchemes("Bearer");
            options.Telemetry = false;
        }).AllowAnonymous();
        return app;
    }
}
