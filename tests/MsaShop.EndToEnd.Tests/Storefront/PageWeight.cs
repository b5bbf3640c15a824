using Microsoft.Playwright;

namespace MsaShop.EndToEnd.Tests.Storefront;

/// <summary>The bytes a page's first load transferred (headers and bodies as sent, compressed or not), request by request.</summary>
public sealed class PageWeight
{
    private readonly List<IRequest> _requests = [];

    public static PageWeight Watch(IPage page)
    {
        var weight = new PageWeight();
        page.RequestFinished += (_, request) => { lock (weight._requests) { weight._requests.Add(request); } };
        return weight;
    }

    public async Task<(int Requests, long Bytes)> MeasureAsync()
    {
        IRequest[] finished;
        lock (_requests)
        {
            finished = [.. _requests];
        }
        long bytes = 0;
        foreach (var request in finished)
        {
            var sizes = await request.SizesAsync();
            bytes += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
        }
        return (finished.Length, bytes);
    }
}
