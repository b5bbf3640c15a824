using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>
/// The saga fixture runs the services in process, not from the AppHost; what it tells each one about its servers
/// and the other services must still be what the AppHost tells it, so a reference added there fails here first.
/// </summary>
public sealed class ShopWiringTests
{
    private static readonly Uri Catalog = new("http://127.0.0.1:1/");

    public static TheoryData<string> Services => ["catalog", "ordering", "payment"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_saga_fixture_wires_each_service_with_the_connection_strings_and_discovery_keys_of_the_AppHost(string service)
    {
        var manifest = await PublishedManifest.OfThisBuildAsync();
        // Configuration keys, as the service reads the manifest's variables; https ends in front of the services.
        var fromAppHost = manifest.EnvironmentOf(service).Keys
            .Where(variable => variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                || (variable.StartsWith("services__", StringComparison.Ordinal)
                    && !variable.Contains("__https__", StringComparison.Ordinal)))
            .Select(variable => variable.Replace("__", ":", StringComparison.Ordinal));

        var wiring = service switch
        {
            "catalog" => ShopWiring.Catalog("db", "cache", "messaging"),
            "ordering" => ShopWiring.Ordering("db", "messaging", Catalog),
            _ => ShopWiring.Payment("db", "messaging"),
        };

        Assert.NotEmpty(fromAppHost);
        Assert.Equal(fromAppHost.Order(), wiring.Keys.Order());
    }
}
