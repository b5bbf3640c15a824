using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MsaShop.ServiceDefaults.OpenApi;

/// <summary>Declares MsaShop's JWT bearer scheme and a relative server (the document is read through the gateway too).</summary>
internal sealed class BearerSecuritySchemeTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT from MsaShop's identity settings; in Development: `bash eng/run.sh token <subject> [--role admin]`, or " +
                "the storefront's sign-in.",
        };
        // The origin the document was read from: a service's own port, or the gateway's.
        document.Servers = [new OpenApiServer { Url = "/" }];
        return Task.CompletedTask;
    }
}
