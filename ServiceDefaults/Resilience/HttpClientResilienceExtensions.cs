using Microsoft.Extensions.Http.Resilience;
using MsaShop.ServiceDefaults.Resilience;

namespace Microsoft.Extensions.DependencyInjection;

public static class HttpClientResilienceExtensions
{
    /// <summary>
    /// Gives one client a standard resilience handler of its own, with its own options and circuit, in place of the
    /// one every client gets from <c>AddServiceDefaults</c>. Tune it with <c>.Configure(...)</c>; MsaShop's defaults
    /// (<see cref="HttpResilienceDefaults"/>) apply first.
    /// </summary>
    /// <remarks>
    /// The defaults come from <c>ConfigureHttpClientDefaults</c>, which cannot name a client, so the library offers no
    /// per-client options for them; its way is to remove them and add a named handler. That handler would then sit
    /// inside service discovery, so it is moved back to the outside, where each retry resolves an instance afresh.
    /// </remarks>
    public static IHttpStandardResiliencePipelineBuilder ReplaceStandardResilienceHandler(this IHttpClientBuilder client)
    {
// Experimental in Microsoft.Extensions.Http.Resilience 10.11; no stable way to drop the default handler exists.
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        var resilience = client.AddStandardResilienceHandler(HttpResilienceDefaults.Configure);
        client.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            var own = handlers.OfType<ResilienceHandler>().Last();
            handlers.Remove(own);
            handlers.Insert(0, own);
        });
        return resilience;
    }
}
