namespace MsaShop.LoadGeneration;

/// <summary>What one arrival of the load does, as a shopper would through the gateway.</summary>
public enum ShopOperation
{
    /// <summary>GET /api/catalog/items?page=n: a page of the catalog.</summary>
    Browse,

    /// <summary>GET /api/catalog/items?search=text.</summary>
    Search,

    /// <summary>GET /api/catalog/items/{id}: the cached read.</summary>
    ReadItem,

    /// <summary>POST /api/orders with an Idempotency-Key, as one of many customers.</summary>
    PlaceOrder,
}
