using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace MsaShop.ServiceDefaults.OpenApi;

/// <summary>
/// What every MsaShop endpoint may answer besides what its handler declares: 401 and 403 where a token is
/// required (with the bearer scheme as the operation's security), and 500, each as a ProblemDetails.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var problems = new List<int>();
        var authorization = metadata.OfType<IAuthorizeData>().ToList();
        if (authorization.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            var bearer = new OpenApiSecuritySchemeReference(BearerSecuritySchemeTransformer.SchemeName, context.Document);
            operation.Security = [new OpenApiSecurityRequirement { [bearer] = [] }];
            problems.Add(StatusCodes.Status401Unauthorized);
            if (authorization.Any(data => data.Policy is not null || data.Roles is not null))
            {
                problems.Add(StatusCodes.Status403Forbidden);
            }
        }
        problems.Add(StatusCodes.Status500InternalServerError);

        operation.Responses ??= [];
        var schema = await ProblemDetailsSchemaAsync(context, cancellationToken);
        foreach (var status in problems)
        {
            operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
            });
        }
    }

    // One ProblemDetails schema in the document's components, referred to, as the handlers' own problems are.
    private static async Task<IOpenApiSchema> ProblemDetailsSchemaAsync(OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("An operation transformer runs within a document.");
        if (document.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
        {
            document.AddComponent(nameof(ProblemDetails),
                await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        }
        return new OpenApiSchemaReference(nameof(ProblemDetails), document);
    }
}
