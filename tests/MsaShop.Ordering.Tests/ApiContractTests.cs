using MsaShop.Contracts;
using MsaShop.Testing;

namespace MsaShop.Ordering.Tests;

/// <summary>
/// What /api/orders promises besides the saga: a body that is not the expected JSON is a 400 ProblemDetails and a
/// warning, and the OpenAPI document (Development) describes the real answers and the JWT scheme.
/// </summary>
public sealed class ApiContractTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    private const string Orders = "/api/orders";
    private const string Order = "/api/orders/{orderId}";
    private const string ProblemJson = "application/problem+json";

    [Theory]
    [InlineData("{\"items\": [")]
    [InlineData("{\"items\": [{\"productId\": \"one\", \"quantity\": 1}], \"paymentToken\": \"tok_visa\"}")]
    [InlineData("{\"items\": {\"productId\": 1}, \"paymentToken\": \"tok_visa\"}")]
    public async Task An_order_that_is_not_the_expected_JSON_is_refused_with_400(string body)
    {
        using var customer = fixture.Shop.Ordering.CreateClientFor("customer-bad-json");

        await BadRequestBodies.AssertRefusedAsync(customer, HttpMethod.Post, Orders, body, fixture.Shop.Ordering.Logs);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_answers_and_the_bearer_scheme()
    {
        using var client = fixture.Shop.Ordering.CreateClient();
        var document = await OpenApiDocument.ReadAsync(client, "/openapi/v1.json");

        Assert.Equal("http",
            document.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("type").GetString());
        Assert.True(document.RequiresBearer(Orders, "POST"));
        Assert.True(document.RequiresBearer(Order, "GET"));
        Assert.Equal("PlaceOrderResponse", document.ResponseSchema(Orders, "POST", "202", "application/json"));
        Assert.Equal("HttpValidationProblemDetails", document.ResponseSchema(Orders, "POST", "400", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Orders, "POST", "401", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Orders, "POST", "422", ProblemJson));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Orders, "POST", "503", ProblemJson));
        Assert.Equal("OrderResponse", document.ResponseSchema(Order, "GET", "200", "application/json"));
        Assert.Equal("ProblemDetails", document.ResponseSchema(Order, "GET", "404", ProblemJson));
        // Any authenticated customer may call it: no role, so no 403.
        Assert.DoesNotContain("403", document.ResponseStatuses(Orders, "POST"));
    }
}
