using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace MsaShop.Client;

/// <summary>
/// MsaShop's public HTTP API (docs/api-docs.md) as typed calls: the catalog, orders and the admin's catalog writes,
/// through one address (the gateway, or a service directly). A call that the shop refuses throws
/// <see cref="ShopApiException"/> with the problem it answered; the <c>Try</c> calls return the status instead.
/// Calls that need a caller take a bearer token; null sends none, for an HttpClient that already carries one.
/// </summary>
public sealed partial class ShopClient(HttpClient http, bool disposeHttpClient = false) : IDisposable
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The HttpClient underneath, for what the typed calls leave out (raw status and header checks).</summary>
    public HttpClient Http { get; } = http;

    /// <summary>
    /// An HttpClient for the shop at <paramref name="baseAddress"/>: pooled connections without a cap, no cookies, no proxy, no redirects.
    /// </summary>
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

    /// <summary>
    /// GET <paramref name="path"/>, read to the end and answered by its status alone: for load, where only the status counts.
    /// </summary>
    public async Task<HttpStatusCode> GetStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode;
    }

    public void Dispose()
    {
        if (disposeHttpClient)
        {
            Http.Dispose();
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? accessToken, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }
        return request;
    }

    private static HttpRequestMessage Request<TBody>(
        HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, string? accessToken, string? idempotencyKey = null)
    {
        var request = Request(method, path, accessToken, idempotencyKey);
        request.Content = JsonContent.Create(body, bodyType);
        return request;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads its JSON body; any answer but a 2xx throws <see cref="ShopApiException"/>.
    /// </summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> answerType, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            await ShopApiException.ThrowUnlessSuccessAsync(request, response, cancellationToken);
            return await ReadAsync(response, answerType, cancellationToken);
        }
    }

    /// <summary>Like <see cref="SendAsync{T}"/>, with the item's ETag from the answer's header.</summary>
    private async Task<ETagged<T>> SendTaggedAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> answerType,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            await ShopApiException.ThrowUnlessSuccessAsync(request, response, cancellationToken);
            var etag = response.Headers.ETag?.ToString()
                ?? throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered without an ETag.");
            return new ETagged<T>(await ReadAsync(response, answerType, cancellationToken), etag);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> answerType,
        CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(answerType, cancellationToken)
        ?? throw new InvalidOperationException(
            $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} with an empty body.");
}
