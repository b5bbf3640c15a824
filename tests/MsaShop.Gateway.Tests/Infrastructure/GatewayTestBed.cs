using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway in front of fake catalog (two replicas), catalog-canary and ordering instances,
/// found through the same discovery keys Aspire injects.
/// </summary>
public sealed class GatewayTestBed : IAsyncDisposable
{
    private GatewayTestBed(FakeService catalogA, FakeService catalogB, FakeService catalogCanary, FakeService ordering,
        ServiceFactory<Program> gateway)
    {
        CatalogA = catalogA;
        CatalogB = catalogB;
        CatalogCanary = catalogCanary;
        Ordering = ordering;
        Gateway = gateway;
        Client = gateway.CreateClient();
    }

    public FakeService CatalogA { get; }

    public FakeService CatalogB { get; }

    public FakeService CatalogCanary { get; }

    public FakeService Ordering { get; }

    public ServiceFactory<Program> Gateway { get; }

    public HttpClient Client { get; }

    public IEnumerable<FakeService> Services => [CatalogA, CatalogB, CatalogCanary, Ordering];

    // WebApplicationFactory finds its host by listening to every host built in the process: start one test bed at a time.
    private static readonly SemaphoreSlim OneStartAtATime = new(1, 1);

    public static async Task<GatewayTestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        await OneStartAtATime.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return await StartAloneAsync(settings);
        }
        finally
        {
            OneStartAtATime.Release();
        }
    }

    private static async Task<GatewayTestBed> StartAloneAsync(IReadOnlyDictionary<string, string?>? settings)
    {
        var catalogA = await FakeService.StartAsync("catalog-a");
        var catalogB = await FakeService.StartAsync("catalog-b");
        var catalogCanary = await FakeService.StartAsync("catalog-canary", version: "canary");
        var ordering = await FakeService.StartAsync("ordering");

        var configuration = new Dictionary<string, string?>
        {
            ["services:catalog:http:0"] = catalogA.Address.ToString(),
            ["services:catalog:http:1"] = catalogB.Address.ToString(),
            ["services:catalog-canary:http:0"] = catalogCanary.Address.ToString(),
            ["services:ordering:http:0"] = ordering.Address.ToString(),
            // High enough that only the rate limit tests ever reach it.
            ["Gateway:RateLimit:PermitLimit"] = "100000",
            ["Gateway:RateLimit:Window"] = "00:01:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var gateway = new ServiceFactory<Program>(configuration);
        // An explicit endpoint, not UseKestrel(0): with a port, the factory rewrites the addresses while
        // Program.cs may already be starting the server, and that race fails now and then.
        gateway.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        try
        {
            gateway.StartServer();
        }
        catch
        {
            // A gateway that refuses to start (a test of its start-up checks) leaves nothing running behind it.
            await gateway.DisposeAsync();
            foreach (var service in new[] { catalogA, catalogB, catalogCanary, ordering })
            {
                await service.DisposeAsync();
            }

            throw;
        }

        return new GatewayTestBed(catalogA, catalogB, catalogCanary, ordering, gateway);
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? canary = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (canary is not null)
        {
            request.Headers.Add("X-Canary", canary);
        }

        return request;
    }

    /// <summary>Sends through the gateway; the echo of the instance that answered, or null when none did.</summary>
    public async Task<(HttpResponseMessage Response, Echo? Echo)> SendAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var echo = response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<Echo>(TestContext.Current.CancellationToken)
            : null;
        return (response, echo);
    }

    public Task<(HttpResponseMessage Response, Echo? Echo)> GetAsync(string path, string? token = null, string? canary = null) =>
        SendAsync(Request(HttpMethod.Get, path, token, canary));

    /// <summary>
    /// The gateway's own view of the destination that service discovery made for <paramref name="service"/>,
    /// from YARP's live state.
    /// </summary>
    public DestinationState Destination(string clusterId, FakeService service) =>
        Cluster(clusterId).Destinations.Values.Single(destination => IsAddressOf(destination, service));

    /// <summary>The fake services whose destinations the load balancer currently chooses from.</summary>
    public IEnumerable<FakeService> AvailableDestinations(string clusterId) =>
        Cluster(clusterId).DestinationsState.AvailableDestinations
            .Select(destination => Services.Single(service => IsAddressOf(destination, service)));

    private static bool IsAddressOf(DestinationState destination, FakeService service) =>
        new Uri(destination.Model.Config.Address).Authority == service.Address.Authority;

    private ClusterState Cluster(string clusterId)
    {
        var proxyState = Gateway.Services.GetRequiredService<IProxyStateLookup>();
        Assert.True(proxyState.TryGetCluster(clusterId, out var cluster), $"cluster {clusterId}");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        foreach (var service in Services)
        {
            await service.DisposeAsync();
        }
    }
}
