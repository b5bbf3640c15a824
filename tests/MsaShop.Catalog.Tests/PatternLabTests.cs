using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Testing;

namespace MsaShop.Catalog.Tests;

/// <summary>The pattern lab's slow catalog (docs/pattern-lab.md): an admin slows item reads at runtime, in Development only.</summary>
public sealed class PatternLabTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_slows_every_item_read_at_runtime_and_puts_it_back()
    {
        await using var catalog = new ServiceFactory<Program>(await CatalogSettings.CreateAsync(infrastructure, "catalog_lab"));
        using var admin = catalog.CreateClientFor("lab-teacher", "admin");
        using var customer = catalog.CreateClientFor("lab-student");

        using var byCustomer = await customer.PutAsJsonAsync("/lab/read-latency-ms", new { value = 900 }, Ct);
        using var turned = await admin.PutAsJsonAsync("/lab/read-latency-ms", new { value = 900 }, Ct);
        var item = await TimeAsync(() => admin.GetAsync("/api/catalog/items/1", Ct));
        var page = await TimeAsync(() => admin.GetAsync("/api/catalog/items?pageSize=5", Ct));
        var byIds = await TimeAsync(() => admin.GetAsync("/api/catalog/items/by-ids?ids=1,2", Ct));

        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, turned.StatusCode);
        Assert.All([item, page, byIds], read =>
        {
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.True(read.Took >= TimeSpan.FromMilliseconds(900),
                $"a read took {read.Took.TotalMilliseconds} ms with 900 ms of latency turned on");
        });

        using var reset = await admin.DeleteAsync("/lab", Ct);
        var knob = Assert.Single(await admin.GetFromJsonAsync<List<KnobView>>("/lab", Ct) ?? []);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(("read-latency-ms", "Catalog:ReadLatency", false), (knob.Name, knob.Setting, knob.Turned));
    }

    [Fact]
    public async Task Outside_Development_neither_the_lab_nor_the_read_latency_exists()
    {
        var signingKey = SigningKeys.NewRandom();
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_lab_prod");
        settings["environment"] = "Production";
        settings["Identity:SigningKey"] = signingKey;
        // Set in configuration anyway: outside Development it must change nothing.
        settings["Catalog:ReadLatency"] = "00:01:00";
        await using var catalog = new ServiceFactory<Program>(settings);
        using var admin = catalog.CreateClient();
        admin.Timeout = TimeSpan.FromSeconds(20);
        admin.DefaultRequestHeaders.Authorization = new("Bearer", SigningKeys.TokenFor(signingKey, "lab-teacher", "admin"));

        using var turn = await admin.PutAsJsonAsync("/lab/read-latency-ms", new { value = 900 }, Ct);
        using var read = await admin.GetAsync("/api/catalog/items/1", Ct);

        Assert.Equal(HttpStatusCode.NotFound, turn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> TimeAsync(Func<Task<HttpResponseMessage>> read)
    {
        var watch = Stopwatch.StartNew();
        using var response = await read();
        return (response.StatusCode, watch.Elapsed);
    }

    private sealed record KnobView(string Name, string Setting, bool Turned);
}
