using System.Net;

namespace MsaShop.Client;

/// <summary>What the shop answered, without throwing: the body on success, the wait a refusal (429 or 503) asks for.</summary>
public readonly record struct ShopAnswer<T>(HttpStatusCode Status, T? Value, TimeSpan? RetryAfter)
{
    /// <summary>A 429 or 503 with Retry-After: the request was not taken and may be sent again after the wait.</summary>
    public bool IsRefusal => RetryAfter is not null;
}
