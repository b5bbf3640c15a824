using System.Globalization;

namespace MsaShop.Catalog.Data;

/// <summary>An item's entity tag: its row version as a strong ETag, <c>"7"</c>.</summary>
public static class ItemETag
{
    public static string Format(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// The versions an If-Match header names; null when there is no header, or only <c>*</c>, which names none (the point
    /// is to name the version one read). Weak tags (<c>W/"7"</c>) never match: If-Match compares strongly (RFC 9110).
    /// </summary>
    public static long[]? Parse(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        return ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(tag =>
                tag is ['"', .. var digits, '"'] && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? version
                : (long?)null)
            .OfType<long>()
            .ToArray();
    }
}
