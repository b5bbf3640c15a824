using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// RabbitMQ's management API, reached through the endpoint the AppHost declares on the messaging resource (the one
/// the dashboard links to), shows the saga's plumbing: each service's queue with its consumer, and each event's
/// exchange bound to the queue of the service that handles it.
/// </summary>
[Collection(StartedShop.Collection)]
public sealed class RabbitMQManagementTests(StartedShop shop)
{
    // The services start their buses in the background: a queue appears a moment after the service is healthy.
    private static readonly TimeSpan QueuesTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_management_API_shows_each_service_queue_with_a_consumer()
    {
        using var management = await ManagementClientAsync();

        var consumersByQueue = await EventuallyAsync(async ct =>
        {
            using var queues = JsonDocument.Parse(await management.GetStringAsync(new Uri("api/queues/%2F", UriKind.Relative), ct));
            var found = queues.RootElement.EnumerateArray().ToDictionary(
                queue => queue.GetProperty("name").GetString()!,
                queue => queue.TryGetProperty("consumers", out var consumers) ? consumers.GetInt32() : 0);
            return found.GetValueOrDefault("catalog") > 0 && found.GetValueOrDefault("ordering") > 0
                && found.GetValueOrDefault("payment") > 0
                ? found
                : null;
        });

        Assert.All(["catalog", "ordering", "payment"], queue => Assert.True(consumersByQueue[queue] > 0, $"queue {queue} has no consumer"));
    }

    [Theory]
    [InlineData("OrderSubmitted", "catalog")]
    [InlineData("StockReserved", "ordering")]
    [InlineData("PaymentRequested", "payment")]
    [InlineData("PaymentSucceeded", "ordering")]
    public async Task The_management_API_shows_each_saga_event_routed_to_the_service_that_handles_it(string integrationEvent,
        string service)
    {
        using var management = await ManagementClientAsync();
        // MassTransit's exchange per message type, bound to the exchange of each endpoint that consumes it.
        var exchange = Uri.EscapeDataString($"MsaShop.Contracts:{integrationEvent}");

        var destinations = await EventuallyAsync(async ct =>
        {
            using var response = await management.GetAsync(new Uri($"api/exchanges/%2F/{exchange}/bindings/source", UriKind.Relative), ct);
            if (!response.IsSuccessStatusCode)
            {
                return null; // not declared yet
            }
            using var bindings = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var found = bindings.RootElement.EnumerateArray().Select(binding => binding.GetProperty("destination").GetString()!).ToList();
            return found.Contains(service) ? found : null;
        });

        Assert.Contains(service, destinations);
    }

    /// <summary>An HTTP client for the management endpoint, signed in as the broker's user.</summary>
    private async Task<HttpClient> ManagementClientAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var messaging = shop.Resource<RabbitMQServerResource>("messaging");
        var user = await messaging.UserNameReference.GetValueAsync(ct);
        var password = await messaging.PasswordParameter.GetValueAsync(ct);

        var client =
            new HttpClient { BaseAddress = new Uri(shop.App.GetEndpoint("messaging", messaging.ManagementEndpoint.EndpointName), "/") };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, at most <see cref="QueuesTimeout"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<CancellationToken, Task<T?>> probe)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(QueuesTimeout);
        while (true)
        {
            if (await probe(timeout.Token) is { } value)
            {
                return value;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        }
    }
}
