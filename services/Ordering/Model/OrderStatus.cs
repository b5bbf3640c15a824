namespace MsaShop.Ordering.Model;

/// <summary>Where an order is in the saga; stored by name. The allowed moves are <see cref="OrderStateMachine"/>.</summary>
public enum OrderStatus
{
    Submitted,
    AwaitingPayment,
    Completed,
    Cancelled,
}
