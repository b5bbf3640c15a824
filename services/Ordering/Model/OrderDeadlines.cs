namespace MsaShop.Ordering.Model;

/// <summary>
/// When the timeout sweep gives up on an order: <see cref="Timeout"/> without progress, and for an order awaiting
/// payment, whose deadline that is, <see cref="PaymentReplyWindow"/> more for payment's answer to come through redelivery.
/// </summary>
public sealed record OrderDeadlines(TimeSpan Timeout, TimeSpan PaymentReplyWindow)
{
    public TimeSpan AwaitingPaymentTimeout => Timeout + PaymentReplyWindow;
}
