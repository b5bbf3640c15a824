using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Logging;

namespace MsaShop.Messaging.Redelivery;

/// <summary>Puts a <see cref="DelayedRedeliveryFilter{TMessage}"/> in front of every message type the endpoint consumes.</summary>
internal sealed class DelayedRedeliveryConfigurationObserver : ConfigurationObserver, IMessageConfigurationObserver
{
    private readonly RedeliverySchedule _schedule;
    private readonly ILogger _logger;

    public DelayedRedeliveryConfigurationObserver(IConsumePipeConfigurator endpoint, RedeliverySchedule schedule, ILogger logger)
        : base(endpoint)
    {
        _schedule = schedule;
        _logger = logger;
        Connect(this);
    }

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator)
        where TMessage : class =>
        configurator.AddPipeSpecification(new FilterSpecification<TMessage>(new DelayedRedeliveryFilter<TMessage>(_schedule, _logger)));

    private sealed class FilterSpecification<TMessage>(IFilter<ConsumeContext<TMessage>> filter)
        : IPipeSpecification<ConsumeContext<TMessage>>
        where TMessage : class
    {
        public void Apply(IPipeBuilder<ConsumeContext<TMessage>> builder) => builder.AddFilter(filter);

        public IEnumerable<ValidationResult> Validate() => [];
    }
}
