using MsaShop.EndToEnd.Tests.HttpFiles;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>
/// The <c>.http</c> file of each public API runs against the running shop: every request answers the status its
/// title names (a 2xx where it names none), every error is a ProblemDetails, and every answer through the gateway
/// is one the service's OpenAPI document (read through the gateway) declares for that operation.
/// </summary>
public sealed class HttpFileTests(ShopFixture shop)
{
    [Fact]
    public async Task Catalog_http_runs_against_the_shop()
    {
        await RunAsync("services/Catalog/Catalog.http", "catalog", new Dictionary<string, string>
        {
            ["gateway"] = Gateway,
            ["catalog"] = shop.AddressOf("catalog"),
            ["adminToken"] = Shoppers.AdminToken(),
        });
    }

    [Fact]
    public async Task Ordering_http_runs_against_the_shop()
    {
        var product = await shop.Api.CreateProductAsync(price: 7.25m, stock: 100);

        await RunAsync("services/Ordering/Ordering.http", "ordering", new Dictionary<string, string>
        {
            ["gateway"] = Gateway,
            ["customerToken"] = Shoppers.CustomerToken(Shoppers.NewCustomer()),
            ["productId"] = product.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private string Gateway => shop.AddressOf("gateway");

    private async Task RunAsync(string path, string service, IReadOnlyDictionary<string, string> variables)
    {
        var file = HttpFile.Parse(await File.ReadAllTextAsync(RepositoryRoot.Combine(path), TestContext.Current.CancellationToken));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var document = await OpenApiDocument.ReadAsync(client, $"{Gateway}/openapi/{service}.json");

        var results = await new HttpFileRunner(client).RunAsync(file, variables);

        Assert.True(results.Count >= 8, $"{path} has {results.Count} requests");
        Assert.All(results, result =>
        {
            var what = $"{path}: \"{result.Request.Title}\" ({result.Request.Method} {result.Url.PathAndQuery}) answered " +
                $"{result.Status}: {result.Body}";
            if (result.Request.ExpectedStatus is { } expected)
            {
                Assert.True(expected == result.Status, what);
            }
            else
            {
                Assert.True(result.Status is >= 200 and < 300, what);
            }
            if (result.Status >= 400)
            {
                Assert.True(result.MediaType == "application/problem+json", $"{what} as {result.MediaType}");
            }
            if (result.Url.AbsoluteUri.StartsWith(Gateway + "/api/", StringComparison.Ordinal))
            {
                var template = document.TemplateFor(result.Url.AbsolutePath);
                Assert.True(template is not null, $"{what}: no operation of the {service} document has this path");
                Assert.Contains(result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    document.ResponseStatuses(template, result.Request.Method));
            }
        });
    }
}
