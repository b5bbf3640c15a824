using MassTransit.UsageTracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MsaShop.Messaging.Tests;

public sealed class MessagingRegistrationTests
{
    [Fact]
    public void AddMessaging_without_a_data_source_says_to_add_one_first()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:5672/")]);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMessaging("catalog"));
        Assert.Contains("AddNpgsqlDataSource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMessaging_without_a_broker_connection_string_names_the_missing_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:catalogdb", "Host=127.0.0.1;Database=catalog")]);
        builder.AddNpgsqlDataSource("catalogdb");

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMessaging("catalog"));
        Assert.Contains("ConnectionStrings:messaging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMessaging_turns_MassTransit_usage_telemetry_off()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:catalogdb", "Host=127.0.0.1;Database=catalog"),
            new("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:5672/"),
        ]);
        builder.AddNpgsqlDataSource("catalogdb");
        builder.AddMessaging("catalog");
        using var host = builder.Build();

        // Left on, MassTransit posts usage reports to its vendor's server after the bus starts.
        var tracker = Assert.IsType<UsageTracker>(host.Services.GetRequiredService<IUsageTracker>());
        Assert.False(tracker.Enabled);
    }
}
