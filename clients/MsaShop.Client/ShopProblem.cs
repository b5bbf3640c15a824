namespace MsaShop.Client;

/// <summary>The body of an error answer (application/problem+json, RFC 9457), with a 400's field errors.</summary>
public sealed record ShopProblem(string? Type, string? Title, int? Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);
