namespace MsaShop.Client;

/// <summary>An answer with the ETag it came with: the version to send back in If-Match when changing it.</summary>
public sealed record ETagged<T>(T Value, string ETag);
