namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>Claim types as they travel in MsaShop tokens; ASP.NET Core is told not to remap them.</summary>
public static class JwtClaims
{
    /// <summary>The customer id; also the user's name (<c>User.Identity.Name</c>).</summary>
    public const string Subject = "sub";

    /// <summary>One claim per role, so <c>User.IsInRole("admin")</c> works.</summary>
    public const string Role = "role";
}
