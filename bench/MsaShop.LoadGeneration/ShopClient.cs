using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MsaShop.LoadGeneration;

/// <summary>
/// The shop's public API as a shopper and an admin call it, through one address (the gateway, or a service
/// directly). Each call returns the HTTP status; the caller decides what a status means.
/// </summary>
public sealed class ShopClient(HttpClient http, ShopTokens tokens)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    public ShopTokens Tokens { get; } = tokens;

    /// <summary>An HttpClient for load: many connections to one address, no cookies, no proxies, no automatic redirects.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = timeout,
    };

    public Task<HttpStatusCode> BrowseAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        StatusOfGetAsync($"/api/catalog/items?page={page}&pageSize={pageSize}", cancellationToken);

    public Task<HttpStatusCode> SearchAsync(string text, CancellationToken cancellationToken) =>
        StatusOfGetAsync($"/api/catalog/items?search={Uri.EscapeDataString(text)}", cancellationToken);

    public Task<HttpStatusCode> ReadItemAsync(int id, CancellationToken cancellationToken) =>
        StatusOfGetAsync($"/api/catalog/items/{id}", cancellationToken);

    /// <summary>POST /api/orders as <paramref name="customerId"/>; the order's id when accepted (202).</summary>
    public async Task<(HttpStatusCode Status, Guid? OrderId)> PlaceOrderAsync(
        string customerId, PlaceOrderDto order, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        var answer = await SubmitOrderAsync(customerId, order, idempotencyKey, cancellationToken);
        return (answer.Status, answer.OrderId);
    }

    /// <summary>POST /api/orders, with the wait a refusal asks for (Retry-After on a 429 or 503: the order was not taken).</summary>
    public async Task<OrderSubmission> SubmitOrderAsync(string customerId, PlaceOrderDto order, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(order, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Customer(customerId));
        request.Headers.Add("Idempotency-Key", idempotencyKey.ToString());
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var retryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                ? response.Headers.RetryAfter?.Delta
                : null;
            return new OrderSubmission(response.StatusCode, null, retryAfter);
        }
        var accepted = await response.Content.ReadFromJsonAsync<PlaceOrderResponseDto>(Json, cancellationToken);
        return new OrderSubmission(response.StatusCode, accepted?.OrderId, null);
    }

    /// <summary>Any order, read as the admin; null when the shop does not know it (404).</summary>
    public Task<OrderDto?> GetOrderAsAdminAsync(Guid orderId, CancellationToken cancellationToken) =>
        GetOrNullAsync<OrderDto>(Http, $"/api/orders/{orderId}", Tokens.Admin, cancellationToken);

    /// <summary>GET with a bearer token: the JSON body, or null on 404; any other failure throws.</summary>
    internal static async Task<T?> GetOrNullAsync<T>(HttpClient http, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    /// <summary>A page of the catalog, read back.</summary>
    public async Task<CatalogPageDto> GetPageAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        await Http.GetFromJsonAsync<CatalogPageDto>($"/api/catalog/items?page={page}&pageSize={pageSize}", Json, cancellationToken)
        ?? throw new InvalidOperationException("The catalog answered an empty page.");

    /// <summary>Items by id through the catalog's item cache (a change removes an item from it at once), up to 100 per request.</summary>
    public async Task<IReadOnlyList<CatalogItemDto>> GetItemsByIdsAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        var found = new List<CatalogItemDto>();
        foreach (var chunk in ids.Distinct().Chunk(100))
        {
            var items = await Http.GetFromJsonAsync<List<CatalogItemDto>>(
                $"/api/catalog/items/by-ids?ids={string.Join(',', chunk)}", Json, cancellationToken);
            found.AddRange(items ?? []);
        }
        return found;
    }

    /// <summary>Adds <paramref name="quantity"/> units to an item's stock as the admin (idempotent under <paramref name="idempotencyKey"/>).</summary>
    public async Task AddStockAsync(int id, int quantity, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/catalog/items/{id}/stock-adjustments")
        {
            Content = JsonContent.Create(new { quantity, reason = "load generation" }, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Admin);
        request.Headers.Add("Idempotency-Key", idempotencyKey.ToString());
        using var response = await Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task<HttpStatusCode> StatusOfGetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode;
    }
}
