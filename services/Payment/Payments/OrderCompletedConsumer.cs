using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

/// <summary>The order this payment paid for is complete: the charge is final, and reconciliation leaves it alone.</summary>
public sealed class OrderCompletedConsumer(NpgsqlDataSource dataSource) : InboxStatementConsumer<OrderCompleted>(dataSource)
{
    protected override (string Sql, object[] Parameters) Effect(OrderCompleted message) => PaymentStore.MarkOrderCompleted(message.OrderId);
}
