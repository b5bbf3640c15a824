using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MsaShop.Payment.Provider;
using MsaShop.Testing;

namespace MsaShop.Payment.Tests;

/// <summary>The pattern lab's payment knobs (docs/pattern-lab.md): an admin turns them at runtime, in Development only.</summary>
public sealed class PatternLabTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_makes_the_provider_fail_and_slow_at_runtime_and_puts_it_back()
    {
        await using var payment = await PaymentService.StartAsync(infrastructure);
        using var admin = payment.Host.CreateClientFor("lab-teacher", "admin");
        var provider = payment.Host.Services.GetRequiredService<IPaymentProvider>();
        var options = payment.Host.Services.GetRequiredService<IOptionsMonitor<PaymentProviderOptions>>();

        using var failing = await admin.PutAsJsonAsync("/lab/provider-failure-percent", new { value = 100 }, Ct);
        using var slow = await admin.PutAsJsonAsync("/lab/provider-latency-ms", new { value = 1500 }, Ct);

        Assert.Equal(HttpStatusCode.OK, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.CurrentValue.Latency);
        await Assert.ThrowsAsync<PaymentProviderTransientException>(() =>
            provider.ChargeAsync(new ChargeRequest(Guid.NewGuid(), 10m, "tok_visa"), Ct));

        using var reset = await admin.DeleteAsync("/lab", Ct);
        var knobs = await admin.GetFromJsonAsync<List<KnobView>>("/lab", Ct) ?? [];

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(["provider-latency-ms", "provider-failure-percent"], knobs.Select(k => k.Name));
        Assert.All(knobs, knob => Assert.False(knob.Turned));
        Assert.Equal(0, options.CurrentValue.TransientFailureRate);
        var charge = await provider.ChargeAsync(new ChargeRequest(Guid.NewGuid(), 10m, "tok_visa"), Ct);
        Assert.True(charge.Approved);
    }

    [Fact]
    public async Task Only_an_admin_turns_a_knob_and_only_within_its_range()
    {
        await using var payment = await PaymentService.StartAsync(infrastructure);
        using var admin = payment.Host.CreateClientFor("lab-teacher", "admin");
        using var customer = payment.Host.CreateClientFor("lab-student");
        using var anonymous = payment.Host.CreateClient();

        using var byCustomer = await customer.PutAsJsonAsync("/lab/provider-failure-percent", new { value = 50 }, Ct);
        using var byAnonymous = await anonymous.GetAsync("/lab", Ct);
        using var outOfRange = await admin.PutAsJsonAsync("/lab/provider-failure-percent", new { value = 101 }, Ct);
        using var unknown = await admin.PutAsJsonAsync("/lab/no-such-knob", new { value = 1 }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0,
            payment.Host.Services.GetRequiredService<IOptionsMonitor<PaymentProviderOptions>>().CurrentValue.TransientFailureRate);
    }

    [Fact]
    public async Task Outside_Development_the_lab_does_not_exist()
    {
        var signingKey = SigningKeys.NewRandom();
        await using var payment = await PaymentService.StartAsync(infrastructure, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Identity:SigningKey"] = signingKey,
        });
        using var admin = payment.Host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", SigningKeys.TokenFor(signingKey, "lab-teacher", "admin"));

        using var turn = await admin.PutAsJsonAsync("/lab/provider-failure-percent", new { value = 100 }, Ct);
        using var list = await admin.GetAsync("/lab", Ct);
        using var payments = await admin.GetAsync($"/api/payments/{Guid.NewGuid()}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, turn.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        // The admin token is good: the 404s mean "no such endpoint", as the payment lookup's own 404 shows it answers.
        Assert.Equal("application/problem+json", payments.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Production",
            payment.Host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
        Assert.Equal(0,
            payment.Host.Services.GetRequiredService<IOptionsMonitor<PaymentProviderOptions>>().CurrentValue.TransientFailureRate);
    }

    private sealed record KnobView(string Name, string Setting, string? Value, bool Turned);
}
