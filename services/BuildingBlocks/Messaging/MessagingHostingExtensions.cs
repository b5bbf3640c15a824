using MassTransit;
using MassTransit.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MsaShop.Messaging;
using MsaShop.Messaging.Redelivery;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class MessagingHostingExtensions
{
    /// <summary>The connection string key of the RabbitMQ broker (Aspire resource name).</summary>
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:messaging</c>) with one receive endpoint named
    /// <paramref name="endpointName"/> for all the service's consumers, plus the transactional outbox and the
    /// idempotent inbox in the service's PostgreSQL database. Call <c>AddNpgsqlDataSource</c> first.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, string endpointName, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointName);
        if (!builder.Services.Any(service => service.ServiceType == typeof(NpgsqlDataSource)))
        {
            throw new InvalidOperationException(
                "AddMessaging keeps its outbox and inbox in the service's database: call builder.AddNpgsqlDataSource(...) first.");
        }

        var broker = RabbitMqConnection.Parse(builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"Connection string 'ConnectionStrings:{ConnectionName}' is not configured."));

        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName)
            .Validate(options => options.OutboxClaimTimeout > options.PublishTimeout,
                "Messaging:OutboxClaimTimeout must exceed Messaging:PublishTimeout.")
            .ValidateOnStart();
        builder.AddDatabaseMigrations(typeof(IOutbox).Assembly);
        builder.Services.AddSingleton<IOutbox, PostgresOutbox>();
        builder.Services.AddSingleton<OutboxMessagePublisher>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxRelay>());
        builder.Services.AddSingleton<OutboxBatchPublisher>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<RetentionCleanup>();
        // Rows set aside (failed_at) were never sent: they stay until someone re-queues or deletes them.
        builder.Services.AddRetentionRule("outbox", "outbox_sent", """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE sent_at < now() - @retention ORDER BY sent_at LIMIT @batchSize FOR UPDATE SKIP LOCKED)
            """);
        builder.Services.AddRetentionRule("inbox", "inbox_received", """
            DELETE FROM inbox WHERE (consumer, message_id) IN (
                SELECT consumer, message_id FROM inbox WHERE received_at < now() - @retention
                ORDER BY received_at LIMIT @batchSize FOR UPDATE SKIP LOCKED)
            """);

        // Start the bus in the background: a broker that is down must not hold up start-up (the outbox keeps accepting writes).
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its vendor's server after start; no MsaShop process calls out of its resources.
            bus.DisableUsageTelemetry();
            configureBus?.Invoke(bus);

            // Without the broker the service still takes orders (outbox), so /health says Degraded, not Unhealthy.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = ConnectionName;
                health.MinimalFailureStatus = HealthStatus.Degraded;
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.UserName);
                    host.Password(broker.Password);
                    if (broker.UseSsl)
                    {
                        host.UseSsl(ssl => ssl.ServerName = broker.Host);
                    }
                });

                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                rabbit.ReceiveEndpoint(endpointName, endpoint =>
                {
                    if (options.ConcurrentMessageLimit is { } limit)
                    {
                        // The broker hands out no more unacknowledged messages than the consumers can take at once:
                        // the rest wait in the queue, where another replica can take them.
                        endpoint.ConcurrentMessageLimit = limit;
                        endpoint.PrefetchCount = limit;
                    }

                    // Retries in process first (seconds), then redeliveries through RabbitMQ (minutes); after the last one
                    // MassTransit moves the message to "{endpointName}_error": never acked away.
                    endpoint.UseDelayedRedeliveryQueues(endpointName, options, context.GetRequiredService<ILoggerFactory>());
                    endpoint.UseMessageRetry(retry =>
                    {
                        retry.Ignore<UnprocessableMessageException>();
                        retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval,
                            options.RetryIntervalDelta);
                    });
                    endpoint.ConfigureConsumers(context);
                });
            });
        });

        // MassTransit writes its send and consume spans and its metrics under one name; the meter is listened to
        // only where ServiceDefaults builds a meter provider (an exporter is configured).
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(DiagnosticHeaders.DefaultListenerName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(DiagnosticHeaders.DefaultListenerName));
        return builder;
    }
}
