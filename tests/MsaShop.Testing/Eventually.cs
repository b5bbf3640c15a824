using Xunit;

namespace MsaShop.Testing;

/// <summary>
/// Polls for an eventual outcome: short pauses, never a fixed sleep, and a generous deadline because a
/// busy two-core machine is slow. A deadline here is a safety net, never a speed claim.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>Probes until <paramref name="done"/> accepts the value, and returns that value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {Describe(value)}");
            }
            await Task.Delay(Pause, TestContext.Current.CancellationToken);
        }
    }

    private static string? Describe<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? $"[{string.Join(", ", items.Cast<object?>())}]"
        : value?.ToString();

    /// <summary>Probes until something turns up (not null), and returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class =>
        (await ReturnsAsync(() => Task.FromResult(probe()), value => value is not null, what, timeout))!;

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(condition, done => done, what, timeout);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
