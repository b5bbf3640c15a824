using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MsaShop.Messaging.Tests.Infrastructure;

/// <summary>
/// A small service in-process, wired the way catalog, ordering and payment are: a data source, the messaging block
/// with the test consumers on one endpoint, and fast retry, redelivery and polling settings.
/// </summary>
public sealed class MessagingTestHost(IHost host) : IAsyncDisposable
{
    public const string EndpointName = "messaging-tests";
    private const string DatabaseName = "testdb";

    public IServiceProvider Services => host.Services;

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<MessagingTestHost> StartAsync(
        MessagingTestEnvironment environment, IReadOnlyDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DatabaseName}"] = environment.DatabaseConnectionString,
            ["ConnectionStrings:messaging"] = environment.BrokerConnectionString,
            ["Messaging:RetryLimit"] = "2",
            ["Messaging:RetryMinInterval"] = "00:00:00.050",
            ["Messaging:RetryMaxInterval"] = "00:00:00.200",
            ["Messaging:RetryIntervalDelta"] = "00:00:00.050",
            ["Messaging:RedeliveryLimit"] = "2",
            ["Messaging:RedeliveryMinInterval"] = "00:00:00.200",
            ["Messaging:RedeliveryMaxInterval"] = "00:00:00.400",
            ["Messaging:OutboxPollingInterval"] = "00:00:01",
            ["Messaging:DispatchMinBackoff"] = "00:00:00.200",
            ["Messaging:DispatchMaxBackoff"] = "00:00:01",
            ["Messaging:ConcurrentMessageLimit"] = "1",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddNpgsqlDataSource(DatabaseName);
        builder.AddMessaging(EndpointName, bus =>
        {
            bus.AddConsumer<SampleEventConsumer>();
            bus.AddConsumer<DeliveryLogConsumer>();
            bus.AddConsumer<PoisonEventConsumer>();
            bus.AddConsumer<MarkConsumer>();
        });
        builder.AddDatabaseMigrations(typeof(MessagingTestHost).Assembly);

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new MessagingTestHost(host);
    }

    /// <summary>Starts the service and waits until its endpoint is declared, so nothing published to it is unrouted.</summary>
    public static async Task<MessagingTestHost> StartReadyAsync(MessagingTestEnvironment environment,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var service = await StartAsync(environment, settings, TestContext.Current.CancellationToken);
        await service.WaitUntilBusHealthyAsync();
        return service;
    }

    /// <summary>Writes <paramref name="messages"/> through the outbox in one transaction, committed or rolled back.</summary>
    public async Task EnqueueAsync(bool commit, params object[] messages)
    {
        var outbox = Services.GetRequiredService<IOutbox>();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await outbox.BeginTransactionAsync(connection);
        foreach (var message in messages)
        {
            await outbox.EnqueueAsync(transaction, message);
        }

        if (commit)
        {
            await outbox.CommitAsync(transaction);
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    public Task EnqueueAsync(params object[] messages) => EnqueueAsync(commit: true, messages);

    /// <summary>
    /// Writes <paramref name="messages"/> through the outbox but commits without telling it, as a process that stopped
    /// right after its commit leaves them: only a dispatcher's sweep publishes them.
    /// </summary>
    public async Task EnqueueForTheDispatcherAsync(params object[] messages)
    {
        var outbox = Services.GetRequiredService<IOutbox>();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await outbox.BeginTransactionAsync(connection);
        foreach (var message in messages)
        {
            await outbox.EnqueueAsync(transaction, message);
        }
        await transaction.CommitAsync();
    }

    public async Task<HealthStatus> BusHealthAsync()
    {
        var report = await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == "messaging");
        return report.Entries["messaging"].Status;
    }

    /// <summary>Waits until the bus is connected and its endpoint (queue, bindings) declared.</summary>
    public Task WaitUntilBusHealthyAsync() =>
        Eventually.ReturnsAsync(BusHealthAsync, status => status == HealthStatus.Healthy, "the bus to be healthy");

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<long> CountAsync(string sql, object? parameters = null) => (await QueryAsync<long>(sql, parameters))[0];

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await host.StopAsync(stopping.Token);
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }
}
