namespace MsaShop.Gateway.Storefront;

/// <summary>
/// GET /storefront/settings: what this deployment offers the page. Sign-in and the API reference exist in
/// Development only; elsewhere a real identity provider issues the tokens.
/// </summary>
public sealed record StorefrontSettings(bool DevelopmentSignIn, string? ApiReference, Uri? DashboardUrl);
