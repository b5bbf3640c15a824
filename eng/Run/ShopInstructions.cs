using System.Net.Http.Json;
using System.Text.Json;
using MsaShop.LocalInfrastructure;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Run;

/// <summary>What the run prints once the shop is up: addresses, tokens and curl commands to paste.</summary>
internal static class ShopInstructions
{
    private const string CanaryWeightExample = """{"Gateway":{"Canary":{"Weight":50}}}""";

    public static async Task PrintAsync(LocalShop shop, CancellationToken cancellationToken)
    {
        var gateway = shop.GatewayUrl.ToString().TrimEnd('/');
        var productId = await FirstProductIdAsync(shop.GatewayUrl, cancellationToken);
        var customerToken = DevelopmentTokens.Create("alice");
        var adminToken = DevelopmentTokens.Create("admin", "admin");

        Console.WriteLine();
        Console.WriteLine("Processes (logs in " + shop.Directory + "):");
        foreach (var instance in shop.Instances)
        {
            Console.WriteLine($"  {instance.Name,-15} http://127.0.0.1:{instance.Port}  pid {instance.Pid}");
        }
        Console.WriteLine($$"""

            MsaShop is running. The gateway is the only public entry point:

              export GATEWAY={{gateway}}
              export CUSTOMER_TOKEN={{customerToken}}
              export ADMIN_TOKEN={{adminToken}}

            (customer "alice" and an admin, valid one hour; more with: bash eng/run.sh token <subject> [--role admin])

            List products:
              curl -s "$GATEWAY/api/catalog/items?pageSize=5"

            Place an order (tok_visa approves, tok_decline declines), then read it back from the Location header:
              ORDER=$(curl -s -D - -o /dev/null -X POST "$GATEWAY/api/orders" \
                -H "Authorization: Bearer $CUSTOMER_TOKEN" -H "Content-Type: application/json" \
                -d '{"items":[{"productId":{{productId}},"quantity":1}],"paymentToken":"tok_visa"}' \
                | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
              curl -s "$GATEWAY$ORDER" -H "Authorization: Bearer $CUSTOMER_TOKEN"

            Send a share of users to the catalog canary without a restart (responses carry X-Catalog-Version):
              echo '{{CanaryWeightExample}}' > {{shop.GatewayConfigFile}}

            Ctrl-C stops everything.
            """);
    }

    /// <summary>The id the order example uses: the first product the catalog lists.</summary>
    private static async Task<int> FirstProductIdAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = gateway };
        var page = await client.GetFromJsonAsync<JsonElement>("/api/catalog/items?pageSize=1", cancellationToken);
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt32()).FirstOrDefault(1);
    }
}
