using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>Saga end: the paid order's reservation becomes a sale (its stock was taken when reserved).</summary>
public sealed class OrderCompletedConsumer(NpgsqlDataSource dataSource) : InboxStatementConsumer<OrderCompleted>(dataSource)
{
    protected override (string Sql, object[] Parameters) Effect(OrderCompleted message) => StockLedger.Commit(message.OrderId);
}
