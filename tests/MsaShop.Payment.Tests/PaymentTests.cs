using System.Net;
using System.Net.Http.Json;
using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Payment.Tests;

public sealed record PaymentDto(Guid PaymentId, Guid OrderId, decimal Amount, string Status, string? FailureReason,
    string? ProviderChargeId, string? ProviderRefundId);

/// <summary>Payment against real PostgreSQL and RabbitMQ; the test publishes PaymentRequested as ordering would.</summary>
public sealed class PaymentTests(PaymentFixture fixture, InfrastructureFixture infrastructure) : IClassFixture<PaymentFixture>
{
    private readonly PaymentService _payment = fixture.Service;

    [Fact]
    public async Task An_approved_card_is_charged_and_the_success_announced()
    {
        var orderId = Guid.NewGuid();

        await _payment.Bus.PublishAsync(new PaymentRequested(orderId, "quinn", 42.50m, "tok_visa"), Guid.NewGuid());

        var succeeded = await _payment.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "PaymentSucceeded");
        Assert.Equal(42.50m, succeeded.Amount);
        using var client = _payment.Host.CreateClientFor("ordering-operator");
        var payment = await client.GetFromJsonAsync<PaymentDto>($"/api/payments/{orderId}", TestContext.Current.CancellationToken);
        Assert.Equal((succeeded.PaymentId, "Succeeded", 42.50m), (payment!.PaymentId, payment.Status, payment.Amount));
        Assert.StartsWith("ch_", payment.ProviderChargeId, StringComparison.Ordinal);
        Assert.Equal(1, await _payment.ProviderChargesAsync(orderId));
    }

    [Fact]
    public async Task A_declined_card_is_announced_as_failed()
    {
        var orderId = Guid.NewGuid();

        await _payment.Bus.PublishAsync(new PaymentRequested(orderId, "quinn", 10m, "tok_decline_stolen_card"), Guid.NewGuid());

        var failed = await _payment.Bus.WaitForAsync<PaymentFailed>(e => e.OrderId == orderId, "PaymentFailed");
        Assert.Equal("card_declined", failed.Reason);
        using var client = _payment.Host.CreateClientFor("ordering-operator");
        var payment = await client.GetFromJsonAsync<PaymentDto>($"/api/payments/{orderId}", TestContext.Current.CancellationToken);
        Assert.Equal("Declined", payment!.Status);
    }

    [Fact]
    public async Task The_payments_api_needs_a_caller_and_answers_404_as_a_problem()
    {
        using var anonymous = _payment.Host.CreateClient();
        using var unauthenticated = await anonymous.GetAsync($"/api/payments/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var client = _payment.Host.CreateClientFor("ordering-operator");
        using var missing = await client.GetAsync($"/api/payments/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_request_delivered_twice_or_sent_again_charges_the_order_once()
    {
        var orderId = Guid.NewGuid();
        var request = new PaymentRequested(orderId, "rose", 15m, "tok_visa");
        var messageId = Guid.NewGuid();

        await Task.WhenAll(
            _payment.Bus.PublishAsync(request, messageId),
            _payment.Bus.PublishAsync(request, messageId),
            _payment.Bus.PublishAsync(request, Guid.NewGuid()));
        await _payment.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "PaymentSucceeded");
        await infrastructure.WaitUntilDrainedAsync(_payment.Messaging, "payment");

        Assert.Equal(1, await _payment.ProviderChargesAsync(orderId));
        Assert.Equal(1,
            await Database.CountAsync(_payment.Database, "SELECT count(*) FROM payments WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1, await Database.OutboxCountAsync(_payment.Database, nameof(PaymentSucceeded), orderId));
    }

    [Fact]
    public async Task A_refund_request_delivered_twice_or_sent_again_refunds_the_payment_once()
    {
        var orderId = Guid.NewGuid();
        await _payment.Bus.PublishAsync(new PaymentRequested(orderId, "tess", 30m, "tok_visa"), Guid.NewGuid());
        var charged = await _payment.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "PaymentSucceeded");
        var request = new PaymentRefundRequested(orderId, charged.PaymentId, charged.Amount, CancellationReasons.TimedOut);
        var messageId = Guid.NewGuid();

        await Task.WhenAll(
            _payment.Bus.PublishAsync(request, messageId),
            _payment.Bus.PublishAsync(request, messageId),
            _payment.Bus.PublishAsync(request, Guid.NewGuid()));
        var refunded = await _payment.Bus.WaitForAsync<PaymentRefunded>(e => e.OrderId == orderId, "PaymentRefunded");
        await infrastructure.WaitUntilDrainedAsync(_payment.Messaging, "payment");

        Assert.Equal((charged.PaymentId, 30m), (refunded.PaymentId, refunded.Amount));
        Assert.Equal(1, await Database.ProviderRefundsAsync(_payment.Database, orderId));
        Assert.Equal(1, await Database.OutboxCountAsync(_payment.Database, nameof(PaymentRefunded), orderId));
        using var client = _payment.Host.CreateClientFor("ordering-operator");
        var payment = await client.GetFromJsonAsync<PaymentDto>($"/api/payments/{orderId}", TestContext.Current.CancellationToken);
        Assert.Equal("Refunded", payment!.Status);
        Assert.StartsWith("re_", payment.ProviderRefundId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_can_never_succeed_lands_in_the_error_queue()
    {
        var orderId = Guid.NewGuid();

        await _payment.Bus.PublishAsync(new PaymentRequested(orderId, "sam", 0m, "tok_visa"), Guid.NewGuid());

        await Eventually.TrueAsync(async () => await infrastructure.MessagesAsync(_payment.Messaging, "payment_error") >= 1,
            "the error queue to hold it");
        Assert.Equal(0,
            await Database.CountAsync(_payment.Database, "SELECT count(*) FROM payments WHERE order_id = @orderId", new { orderId }));
    }
}
