using Microsoft.Extensions.Http.Resilience;

namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>MsaShop's change to the standard resilience handler's defaults, applied to every HttpClient.</summary>
internal static class HttpResilienceDefaults
{
    public static void Configure(HttpStandardResilienceOptions options)
    {
        // The standard handler retries every method; only a request that may safely arrive twice is retried here:
        // never POST, PUT, PATCH or DELETE (an order placed twice is worse than one that failed).
// Experimental in Microsoft.Extensions.Http.Resilience 10.11, and the library's own switch for exactly this.
#pragma warning disable EXTEXP0001
        options.Retry.DisableForUnsafeHttpMethods();
#pragma warning restore EXTEXP0001
    }
}
