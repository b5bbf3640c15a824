using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace MsaShop.AppHost.Tests;

/// <summary>Reads the catalog through the gateway of the started AppHost, the way a client would.</summary>
[Collection(StartedShop.Collection)]
public sealed class GatewaySmokeTests(StartedShop shop)
{
    [Fact]
    public async Task The_catalog_answers_through_the_gateway()
    {
        var ct = TestContext.Current.CancellationToken;

        using var gateway = shop.App.CreateHttpClient("gateway");
        using var response = await gateway.GetAsync(new Uri("/api/catalog/items?pageSize=5", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(5, page.RootElement.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, page.RootElement.GetProperty("items").GetArrayLength());
    }
}
