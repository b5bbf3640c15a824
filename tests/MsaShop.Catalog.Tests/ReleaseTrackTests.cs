using Microsoft.Extensions.Configuration;
using MsaShop.Catalog.Tests.Support;

namespace MsaShop.Catalog.Tests;

/// <summary>Which release an instance runs decides whether it joins the order saga: only a name it knows is accepted.</summary>
public sealed class ReleaseTrackTests(InfrastructureFixture infrastructure)
{
    [Theory]
    [InlineData("cannary")]
    [InlineData("stable2")]
    public async Task An_unknown_CATALOG_VERSION_refuses_to_start(string version)
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog");
        settings[ReleaseTrack.ConfigurationKey] = version;
        await using var catalog = new ServiceFactory<Program>(settings);

        var refused = Assert.Throws<InvalidOperationException>(() => catalog.Server);
        Assert.Contains(ReleaseTrack.ConfigurationKey, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "stable", true)]
    [InlineData("Stable", "stable", true)]
    [InlineData("canary", "canary", false)]
    public void A_known_CATALOG_VERSION_or_none_is_accepted(string? version, string release, bool joinsTheSaga)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ReleaseTrack.ConfigurationKey] = version })
            .Build();

        var accepted = ReleaseTrack.From(configuration);

        Assert.Equal((release, joinsTheSaga), (accepted.Version, accepted.TakesPartInTheOrderFlow));
    }
}
