using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using MsaShop.Catalog.Data;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Caching;

/// <summary>
/// An item as the cache holds it: its version (the ETag) and its JSON exactly as GET answers it. Immutable, so the
/// in-process level hands the same instance to every reader instead of a copy.
/// </summary>
[ImmutableObject(true)]
public sealed record CachedCatalogItem(long Version, ReadOnlyMemory<byte> Json)
{
    /// <summary>What the cache holds for an id with no item: no JSON at all.</summary>
    public static CachedCatalogItem Missing { get; } = new(0, ReadOnlyMemory<byte>.Empty);

    public bool IsMissing => Json.IsEmpty;

    public string ETag => ItemETag.Format(Version);

    /// <summary>The item read back from its JSON, once per entry: every reader of this instance shares it.</summary>
    public CatalogItem Item => _item ??= JsonSerializer.Deserialize(Json.Span, ShopApiJsonContext.Default.CatalogItem)!;

    private CatalogItem? _item;

    public static CachedCatalogItem From(VersionedCatalogItem item) =>
        new(item.Version, JsonSerializer.SerializeToUtf8Bytes(item.Item, ShopApiJsonContext.Default.CatalogItem));
}

/// <summary>In Redis an entry is the version (8 bytes, little-endian) followed by the JSON: no serializer runs on a hit.</summary>
public sealed class CachedCatalogItemSerializer : IHybridCacheSerializer<CachedCatalogItem>
{
    private const int VersionLength = sizeof(long);

    public CachedCatalogItem Deserialize(ReadOnlySequence<byte> source)
    {
        var entry = source.ToArray();
        return new CachedCatalogItem(BinaryPrimitives.ReadInt64LittleEndian(entry), entry.AsMemory(VersionLength));
    }

    public void Serialize(CachedCatalogItem value, IBufferWriter<byte> target)
    {
        BinaryPrimitives.WriteInt64LittleEndian(target.GetSpan(VersionLength), value.Version);
        target.Advance(VersionLength);
        target.Write(value.Json.Span);
    }
}
