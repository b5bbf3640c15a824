namespace MsaShop.ServiceDefaults.Authorization;

/// <summary>Authorization policy names shared by the services and the gateway.</summary>
public static class AuthorizationPolicies
{
    /// <summary>Requires the role "admin" (e.g. <c>.RequireAuthorization(AuthorizationPolicies.Admin)</c>).</summary>
    public const string Admin = "admin";

    public const string AdminRole = "admin";
}
