using MsaShop.Catalog.Tests.Support;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Tests;

/// <summary>
/// The catalog's OpenAPI document (Development) describes what the API really answers, errors and the JWT scheme included.
/// </summary>
public sealed class OpenApiDocumentTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    private const string Items = "/api/catalog/items";
    private const string Item = "/api/catalog/items/{id}";
    private const string ProblemJson = "application/problem+json";

    private async Task<OpenApiDocument> DocumentAsync()
    {
        using var client = catalog.Factory.CreateClient();
        return await OpenApiDocument.ReadAsync(client, "/openapi/v1.json");
    }

    [Fact]
    public async Task It_declares_the_JWT_bearer_scheme_and_a_relative_server()
    {
        var document = await DocumentAsync();

        var bearer = document.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        Assert.Equal("/", document.Root.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Reads_are_anonymous_and_writes_need_a_token_with_the_admin_role()
    {
        var document = await DocumentAsync();

        Assert.False(document.RequiresBearer(Items, "GET"));
        Assert.False(document.RequiresBearer(Item, "GET"));
        Assert.True(document.RequiresBearer(Items, "POST"));
        Assert.True(document.RequiresBearer(Item, "PUT"));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Items, "POST", "401", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Items, "POST", "403", ProblemJson));
        Assert.DoesNotContain("401", document.ResponseStatuses(Items, "GET"));
    }

    [Fact]
    public async Task Errors_are_described_as_the_ProblemDetails_the_API_answers()
    {
        var document = await DocumentAsync();

        Assert.Equal("CatalogPage", document.ResponseSchema(Items, "GET", "200", "application/json"));
        Assert.Equal("HttpValidationProblemDetails", document.ResponseSchema(Items, "GET", "400", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Item, "GET", "404", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Item, "GET", "500", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Item, "PUT", "412", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Item, "PUT", "428", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema($"{Item}/stock-adjustments", "POST", "409", ProblemJson));
    }
}
