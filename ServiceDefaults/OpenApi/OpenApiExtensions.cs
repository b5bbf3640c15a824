using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.ServiceDefaults.OpenApi;

namespace Microsoft.Extensions.Hosting;

public static class OpenApiExtensions
{
    /// <summary>
    /// The service's OpenAPI document (Microsoft.AspNetCore.OpenApi) as its clients meet the API: the JWT bearer
    /// scheme on every operation that needs a token, the ProblemDetails of its 401, 403 and 500 answers, and a
    /// relative server, so that "try it" through the gateway calls the gateway.
    /// </summary>
    public static TBuilder AddDefaultOpenApi<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<BearerSecuritySchemeTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
        });
        return builder;
    }

    /// <summary>GET /openapi/v1.json, in Development only; the gateway publishes it as /openapi/{service}.json.</summary>
    public static WebApplication MapDefaultOpenApi(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
        }
        return app;
    }
}
