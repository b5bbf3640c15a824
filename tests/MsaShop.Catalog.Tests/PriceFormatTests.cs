using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Tests;

/// <summary>A price is money: two decimals in every answer, from the database, from the cache, and as created.</summary>
public sealed class PriceFormatTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("11", "11.00")]
    [InlineData("11.5", "11.50")]
    [InlineData("0.1", "0.10")]
    [InlineData("11.00", "11.00")]
    public async Task Every_read_of_an_item_shows_its_price_with_two_decimals(string sent, string shown)
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        using var client = catalog.Factory.CreateClient();
        using var create = await admin.PostAsync("/api/catalog/items", new StringContent(
            $$"""{"name":"Priced {{Guid.NewGuid():N}}","description":"d","price":{{sent}},"availableStock":1}""",
            System.Text.Encoding.UTF8, "application/json"), Ct);
        create.EnsureSuccessStatusCode();
        var created = await create.Content.ReadAsStringAsync(Ct);
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetInt32();

        var miss = await client.GetStringAsync($"/api/catalog/items/{id}", Ct);
        var hit = await client.GetStringAsync($"/api/catalog/items/{id}", Ct);
        var byIds = await client.GetStringAsync($"/api/catalog/items/by-ids?ids={id}", Ct);
        var page = await client.GetFromJsonAsync<JsonElement>(
            $"/api/catalog/items?pageSize=100&search={JsonDocument.Parse(created).RootElement.GetProperty("name").GetString()}", Ct);

        Assert.Equal(shown, PriceIn(created));
        Assert.Equal(shown, PriceIn(miss));
        Assert.Equal(shown, PriceIn(hit));
        Assert.Equal(shown, PriceIn(byIds));
        Assert.Equal(shown, page.GetProperty("items")[0].GetProperty("price").GetRawText());
    }

    [Fact]
    public void An_item_whose_price_has_no_decimals_is_written_with_two()
    {
        // A decimal keeps the scale it was made with: 11m is "11" to a plain serializer, while numeric(12,2) reads back 11.00.
        var json = catalog.Factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Equal("""{"id":1,"name":"n","description":"d","price":11.00,"availableStock":2}""",
            JsonSerializer.Serialize(new CatalogItem(1, "n", "d", 11m, 2), json));
        Assert.Equal("""{"id":1,"name":"n","description":"d","price":0.50,"availableStock":2}""",
            JsonSerializer.Serialize(new CatalogItem(1, "n", "d", 0.5m, 2), json));
    }

    // The price exactly as written in the JSON text, not as a number parsed from it.
    private static string PriceIn(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return (root.ValueKind == JsonValueKind.Array ? root[0] : root).GetProperty("price").GetRawText();
    }
}
