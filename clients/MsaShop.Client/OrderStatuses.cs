namespace MsaShop.Client;

/// <summary>The statuses in which the saga has ended an order: it changes no more.</summary>
public static class OrderStatuses
{
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";

    public static bool IsTerminal(string status) => status is Completed or Cancelled;
}
