namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// Turns a logical service address (<c>http://catalog</c>, <c>https+http://catalog</c>) into the
/// address of a running instance.
/// </summary>
public interface IServiceEndpointResolver
{
    /// <summary>Every configured instance, preferred scheme first; the address itself when the name is not configured.</summary>
    IReadOnlyList<Uri> ResolveAll(Uri serviceUri);

    /// <summary>One instance, chosen round robin; path and query of <paramref name="serviceUri"/> are kept.</summary>
    Uri Resolve(Uri serviceUri);
}
