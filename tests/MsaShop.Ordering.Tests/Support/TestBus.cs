using System.Collections.Concurrent;
using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;

namespace MsaShop.Tests.Support;

/// <summary>
/// A MassTransit bus of the test's own on the services' virtual host: it sees a copy of every integration
/// event (its queue is bound to every contract's exchange) and publishes events as another service would.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly ConcurrentQueue<object> _received = new();
    private readonly IBusControl _bus;

    private TestBus(string connectionString)
    {
        var broker = RabbitMqConnection.Parse(connectionString);
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
            {
                host.Username(broker.UserName);
                host.Password(broker.Password);
            });
            rabbit.ReceiveEndpoint($"test-observer-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                Observe<OrderSubmitted>(endpoint);
                Observe<StockReserved>(endpoint);
                Observe<StockReservationFailed>(endpoint);
                Observe<PaymentRequested>(endpoint);
                Observe<PaymentSucceeded>(endpoint);
                Observe<PaymentFailed>(endpoint);
                Observe<PaymentRefundRequested>(endpoint);
                Observe<PaymentRefunded>(endpoint);
                Observe<OrderCompleted>(endpoint);
                Observe<OrderCancelled>(endpoint);
            });
        });
    }

    public static async Task<TestBus> StartAsync(string connectionString)
    {
        var bus = new TestBus(connectionString);
        await bus._bus.StartAsync(TestContext.Current.CancellationToken);
        return bus;
    }

    /// <summary>Publishes <paramref name="message"/> with the given MessageId (the inbox's deduplication key).</summary>
    public Task PublishAsync<T>(T message, Guid messageId)
        where T : class =>
        _bus.Publish(message, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

    public IReadOnlyList<T> Received<T>() => _received.OfType<T>().ToList();

    public Task<T> WaitForAsync<T>(Func<T, bool> match, string what) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Received<T>().FirstOrDefault(match)), found => found is not null, what)!;

    public ValueTask DisposeAsync() => new(_bus.StopAsync());

    private void Observe<T>(IRabbitMqReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(context =>
        {
            _received.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}
