using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Contracts;
using static MsaShop.Catalog.Tests.Support.CatalogRequests;

namespace MsaShop.Catalog.Tests;

/// <summary>The public catalog contract: paging, search, lookups, validation and admin-only writes.</summary>
public sealed class CatalogApiTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_walk_the_seeded_catalog_in_a_stable_order()
    {
        using var client = catalog.Factory.CreateClient();
        var first = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?page=1&pageSize=20", Ct);
        var second = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?page=2&pageSize=20", Ct);
        var again = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?page=1&pageSize=20", Ct);

        Assert.True(first!.Total >= 100);
        Assert.Equal((1, 20, 20), (first.Page, first.PageSize, first.Items.Count));
        Assert.Equal(first.Items.Select(i => i.Id).Order(), first.Items.Select(i => i.Id));
        Assert.True(second!.Items[0].Id > first.Items[^1].Id);
        Assert.Equal(first.Items, again!.Items);
        Assert.All(first.Items, i => Assert.False(string.IsNullOrEmpty(i.Description)));
    }

    [Fact]
    public async Task Search_matches_name_or_description_case_insensitively()
    {
        using var client = catalog.Factory.CreateClient();
        var byName = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?search=COFFEE&pageSize=100", Ct);
        var byDescription = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?search=circuit%20breakers", Ct);
        var literalPercent = await client.GetFromJsonAsync<CatalogPage>("/api/catalog/items?search=%25", Ct);

        Assert.Contains(byName!.Items, i => i.Name == "Pour-Over Coffee Kit");
        Assert.All(byName.Items, i => Assert.Contains("coffee", i.Name + " " + i.Description, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(byName.Items.Count, byName.Total);
        Assert.Equal(["Release It!, 2nd Edition"], byDescription!.Items.Select(i => i.Name));
        Assert.Equal(0, literalPercent!.Total); // "%" is searched for, not a wildcard
    }

    [Fact]
    public async Task Search_is_served_by_the_trigram_indexes()
    {
        await using var connection = await catalog.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        // A 100-row table is cheaper to scan: forbid that, to see which index the planner can use.
        await connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
        var plan = string.Join('\n', await connection.QueryAsync<string>(
            "EXPLAIN SELECT id FROM catalog_items WHERE name ILIKE '%coffee%' OR description ILIKE '%coffee%'", transaction: transaction));

        Assert.Contains("catalog_items_name_trgm", plan);
        Assert.Contains("catalog_items_description_trgm", plan);
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("pageSize=99999999999")]
    [InlineData("search=cup%00")]
    public async Task Bad_paging_is_a_400_problem(string query)
    {
        using var client = catalog.Factory.CreateClient();
        using var response = await client.GetAsync($"/api/catalog/items?{query}", Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_item_is_found_by_id_and_an_unknown_id_is_a_404_problem()
    {
        using var client = catalog.Factory.CreateClient();
        var item = await client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/2", Ct);
        using var missing = await client.GetAsync("/api/catalog/items/987654", Ct);

        Assert.Equal(2, item!.Id);
        Assert.Equal("Summit 2-Person Tent", item.Name);
        await AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_batch_lookup_returns_the_known_ids_and_leaves_out_the_unknown()
    {
        using var client = catalog.Factory.CreateClient();
        var items = await client.GetFromJsonAsync<List<CatalogItemSummary>>("/api/catalog/items/by-ids?ids=3,1,987654,3", Ct);
        var repeatedForm = await client.GetFromJsonAsync<List<CatalogItemSummary>>("/api/catalog/items/by-ids?ids=1&ids=2", Ct);

        Assert.Equal([1, 3], items!.Select(i => i.Id));
        Assert.Equal("Ridgeline Trail Running Shoes", items![0].Name);
        Assert.Equal([1, 2], repeatedForm!.Select(i => i.Id));
        foreach (var bad in new[] { "", "?ids=", "?ids=1,x", $"?ids={string.Join(',', Enumerable.Range(1, 101))}" })
        {
            using var response = await client.GetAsync($"/api/catalog/items/by-ids{bad}", Ct);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Writes_need_the_admin_role()
    {
        var item = new CatalogItemRequest("Espresso Cups", "Double-walled glass.", 24.00m, 50);
        using var anonymous = catalog.Factory.CreateClient();
        using var customer = catalog.Factory.CreateClientFor("alice");
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");

        using var unauthenticated = await anonymous.PostAsJsonAsync("/api/catalog/items", item, Ct);
        using var forbidden = await customer.PostAsJsonAsync("/api/catalog/items", item, Ct);
        using var forbiddenUpdate = await customer.PutAsJsonAsync("/api/catalog/items/1", item, Ct);
        using var created = await admin.PostAsJsonAsync("/api/catalog/items", item, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenUpdate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<CatalogItem>(Ct);
        Assert.Equal($"/api/catalog/items/{body!.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal(body, await anonymous.GetFromJsonAsync<CatalogItem>(created.Headers.Location, Ct));
    }

    [Fact]
    public async Task An_admin_updates_an_item_with_the_ETag_read_and_an_unknown_item_is_a_404_problem()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: 5);
        using var read = await admin.GetAsync($"/api/catalog/items/{id}", Ct);
        var change = new { name = "Renamed", description = "New words.", price = 12.34m };

        using var updated = await admin.SendAsync(Put($"/api/catalog/items/{id}", change, read.Headers.ETag!.Tag), Ct);
        using var missing = await admin.SendAsync(Put("/api/catalog/items/987654", change, "\"1\""), Ct);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(new CatalogItem(id, "Renamed", "New words.", 12.34m, 5), await updated.Content.ReadFromJsonAsync<CatalogItem>(Ct));
        Assert.NotEqual(read.Headers.ETag, updated.Headers.ETag);
        await AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }


    public static TheoryData<string> InvalidItems =>
    [
        """{"name":"Cup","price":-1,"availableStock":1}""",
        """{"name":"Cup","price":0,"availableStock":1}""",
        """{"name":"Cup\u0000","price":1,"availableStock":1}""",
        """{"name":"Cup","price":1,"availableStock":-1}""",
        """{"name":"","price":1,"availableStock":1}""",
        """{"price":1,"availableStock":1}""",
        """{"name":"Cup","availableStock":1}""",
        """{"name":"Cup","price":1}""",
        """{"name":"Cup","price":1.234,"availableStock":1}""",
        """{"name":"Cup","price":100000000000,"availableStock":1}""",
        """{"name":"Cup","price":"cheap","availableStock":1}""",
        """{"name":"Cup","price":1,"availableStock":99999999999}""",
        """{"name":"Cup", """,
        "",
    ];

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public async Task Invalid_or_malformed_items_are_a_400_problem(string json)
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        using var created =
            await admin.PostAsync("/api/catalog/items", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        await AssertProblemAsync(created, HttpStatusCode.BadRequest);
    }

    public static TheoryData<string> InvalidUpdates =>
    [
        """{"name":"Cup","price":-1}""",
        """{"name":"Cup","price":0}""",
        """{"name":"Cup\u0000","price":1}""",
        """{"name":"","price":1}""",
        """{"price":1}""",
        """{"name":"Cup"}""",
        """{"name":"Cup","price":1.234}""",
        """{"name":"Cup","price":1,"availableStock":1}""",
        """{"name":"Cup", """,
        "",
    ];

    [Theory]
    [MemberData(nameof(InvalidUpdates))]
    public async Task Invalid_or_malformed_updates_are_a_400_problem_even_with_the_right_ETag(string json)
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        using var read = await admin.GetAsync("/api/catalog/items/1", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/items/1")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        using var updated = await admin.SendAsync(request, Ct);

        await AssertProblemAsync(updated, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Every_response_names_the_catalog_version_and_development_serves_openapi()
    {
        using var client = catalog.Factory.CreateClient();
        using var item = await client.GetAsync("/api/catalog/items/1", Ct);
        using var missing = await client.GetAsync("/api/catalog/items/987654", Ct);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        Assert.Equal("stable", Assert.Single(item.Headers.GetValues(CatalogVersionHeader.HeaderName)));
        Assert.Equal("stable", Assert.Single(missing.Headers.GetValues(CatalogVersionHeader.HeaderName)));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/catalog/items/by-ids", out _));
    }

    [Fact]
    public async Task An_instance_started_as_the_canary_says_so()
    {
        await using var canary =
            new ServiceFactory<Program>(new Dictionary<string, string?>(catalog.Settings) { ["CATALOG_VERSION"] = "canary" });
        using var client = canary.CreateClient();

        using var response = await client.GetAsync("/api/catalog/items?pageSize=1", Ct);

        Assert.Equal("canary", Assert.Single(response.Headers.GetValues(CatalogVersionHeader.HeaderName)));
    }

}
