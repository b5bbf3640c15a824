using MsaShop.Catalog.Tests.Support;

namespace MsaShop.Catalog.Tests;

/// <summary>A malformed or wrongly typed JSON body is the client's mistake: 400 ProblemDetails and a warning, never an exception.</summary>
public sealed class BadRequestBodyTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{\"name\": \"Mug\", \"price\": \"cheap\", \"availableStock\": 1}")]
    [InlineData("[1, 2, 3]")]
    public async Task A_new_item_that_is_not_the_expected_JSON_is_refused_with_400(string body)
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");

        await BadRequestBodies.AssertRefusedAsync(admin, HttpMethod.Post, "/api/catalog/items", body, catalog.Factory.Logs);
    }

    [Fact]
    public async Task A_stock_adjustment_with_a_quantity_of_the_wrong_type_is_refused_with_400()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");

        await BadRequestBodies.AssertRefusedAsync(admin, HttpMethod.Post, "/api/catalog/items/1/stock-adjustments",
            "{\"quantity\": \"ten\"}", catalog.Factory.Logs);
    }
}
