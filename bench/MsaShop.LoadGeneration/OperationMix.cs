using System.Globalization;

namespace MsaShop.LoadGeneration;

/// <summary>Relative weights of the operations; each arrival picks one at random by weight.</summary>
public sealed record OperationMix(int Browse, int Search, int ReadItem, int PlaceOrder)
{
    /// <summary>A shopper's day: mostly item reads and pages, some searches, one order in ten arrivals.</summary>
    public static OperationMix Shopping { get; } = new(Browse: 3, Search: 1, ReadItem: 5, PlaceOrder: 1);

    /// <summary>Only orders: the saga at the arrival rate.</summary>
    public static OperationMix OrdersOnly { get; } = new(0, 0, 0, 1);

    /// <summary>Only cached item reads.</summary>
    public static OperationMix ItemReadsOnly { get; } = new(0, 0, 1, 0);

    public int Total => Browse + Search + ReadItem + PlaceOrder;

    /// <summary>The operation at <paramref name="point"/> in [0, 1) of the weights laid end to end.</summary>
    public ShopOperation Pick(double point)
    {
        var at = point * Total;
        if ((at -= Browse) < 0) return ShopOperation.Browse;
        if ((at -= Search) < 0) return ShopOperation.Search;
        if ((at -= ReadItem) < 0) return ShopOperation.ReadItem;
        return ShopOperation.PlaceOrder;
    }

    /// <summary>
    /// Parses <c>browse=3,search=1,item=5,order=1</c> (names missing weigh 0), or <c>shopping</c>, <c>orders</c>, <c>items</c>.
    /// </summary>
    public static OperationMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "shopping": return Shopping;
            case "orders": return OrdersOnly;
            case "items": return ItemReadsOnly;
        }
        int browse = 0, search = 0, item = 0, order = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
            {
                throw new FormatException($"'{part}' is not name=weight (a whole number).");
            }
            switch (pair[0].ToLowerInvariant())
            {
                case "browse": browse = weight; break;
                case "search": search = weight; break;
                case "item": item = weight; break;
                case "order": order = weight; break;
                default: throw new FormatException($"Unknown operation '{pair[0]}': browse, search, item or order.");
            }
        }
        var mix = new OperationMix(browse, search, item, order);
        return mix.Total > 0 ? mix : throw new FormatException("At least one operation needs a weight above 0.");
    }

    public override string ToString() => $"browse={Browse},search={Search},item={ReadItem},order={PlaceOrder}";
}
