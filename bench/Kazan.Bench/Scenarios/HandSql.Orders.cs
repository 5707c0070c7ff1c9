using System.Data.Common;
using System.Globalization;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Data;

namespace Kazan.Bench.Scenarios;

public sealed record ProductRow(Guid Id, string Name, string Unit, decimal Price, decimal Vat);

public sealed partial class HandSql
{
    /// <summary>Open deals in the base currency and their accounts: the opportunities orders are taken on (each used once).</summary>
    public async Task<List<(Guid Opportunity, Guid Account)>> OrderCandidatesAsync(Guid org, int count, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT "Id", "AccountId" FROM "Opportunities" WHERE "OrganizationId" = @org AND "Status" = 'Open' AND "Currency" = 'TRY'
            ORDER BY "Id" LIMIT @n
            """, ("org", Id(org)), ("n", count));
        cmd.CommandTimeout = 0;
        var list = new List<(Guid, Guid)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetGuid(0), r.GetGuid(1)));
        }

        return list;
    }

    public async Task<List<ProductRow>> ProductsAsync(Guid org, int count, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT "Id", "Name", "Unit", "ListPrice", "VatRate" FROM "Products" WHERE "OrganizationId" = @org AND "IsActive" = @yes ORDER BY "Code" LIMIT @n
            """, ("org", Id(org)), ("yes", true), ("n", count));
        var list = new List<ProductRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ProductRow(r.GetGuid(0), r.GetString(1), r.GetString(2), ReadMoney(r, 3), ReadMoney(r, 4)));
        }

        return list;
    }

    /// <summary>
    /// The order scenario by hand: a direct order with one line per product, numbered from the organization's sequence, the
    /// deal marked won with its ordered amount (one transaction); then a delivery of everything with the order, its lines
    /// and the deal's delivered amount updated (a second transaction): what the app's two requests do, minus audit rows.
    /// </summary>
    public async Task<Guid> CreateOrderAndDeliverAsync(Guid org, Guid userId, Guid opportunityId, Guid accountId, List<ProductRow> products, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var lines = products.Select((p, i) => (Product: p, Id: Guid.CreateVersion7(), Priced: LineTerms.Create(i, 3, p.Price, 0m, p.Vat))).ToList();
        var totals = Pricing.Totals(lines.Select(l => l.Priced), 0m);
        var orderId = Guid.CreateVersion7();
        await using var c = await OpenAsync(ct);
        await using (var ensure = Command(c, """
            INSERT INTO "DocumentSequences" ("OrganizationId", "Kind", "Year", "Last") VALUES (@org, 'order', @y, 0) ON CONFLICT DO NOTHING
            """, ("org", Id(org)), ("y", today.Year)))
        {
            await ensure.ExecuteNonQueryAsync(ct);
        }

        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            long sequence;
            await using (var next = Command(c, """
                UPDATE "DocumentSequences" SET "Last" = "Last" + 1 WHERE "OrganizationId" = @org AND "Kind" = 'order' AND "Year" = @y RETURNING "Last"
                """, ("org", Id(org)), ("y", today.Year)))
            {
                next.Transaction = tx;
                sequence = Convert.ToInt64(await next.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }

            var number = DocumentNumbers.Format("SIP", today.Year, (int)sequence, 5);
            int version;
            await using (var read = Command(c, """SELECT "Version" FROM "Opportunities" WHERE "Id" = @id AND "OrganizationId" = @org AND "Status" = 'Open'""",
                ("id", Id(opportunityId)), ("org", Id(org))))
            {
                read.Transaction = tx;
                version = Convert.ToInt32(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }

            await ExecAsync(c, tx, """
                INSERT INTO "Orders" ("Id", "OrganizationId", "OwnerId", "AccountId", "OpportunityId", "Number", "Year", "Sequence", "OrderDate", "Currency",
                    "ExchangeRate", "DocumentDiscountPercent", "Status", "NetTotal", "VatTotal", "GrandTotal", "DeliveredNet", "NetTotalBase", "DeliveredNetBase",
                    "CreatedAt", "Version")
                VALUES (@id, @org, @owner, @account, @opp, @number, @y, @seq, @date, 'TRY', @one, @zero, 'Open', @net, @vat, @total, @zero, @net, @zero, @now, 0)
                """, ct, ("id", Id(orderId)), ("org", Id(org)), ("owner", Id(userId)), ("account", Id(accountId)), ("opp", Id(opportunityId)),
                ("number", number), ("y", today.Year), ("seq", sequence), ("date", Date(today)), ("one", Money(1m)), ("zero", Money(0m)),
                ("net", Money(totals.Net)), ("vat", Money(totals.Vat)), ("total", Money(totals.Total)), ("now", Time(now)));
            await using (var insert = Command(c, """
                INSERT INTO "OrderLines" ("Id", "OrganizationId", "OrderId", "Position", "ProductId", "Description", "Quantity", "Unit", "UnitPrice",
                    "DiscountPercent", "VatRate", "DeliveredQuantity", "ReturnedQuantity", "CancelledQuantity", "NetAmount", "VatAmount", "DeliveredNet", "RemainingNetBase")
                VALUES (@id, @org, @order, @pos, @product, @name, @qty, @unit, @price, @zero, @rate, @zero, @zero, @zero, @net, @vat, @zero, @net)
                """, ("id", Id(orderId)), ("org", Id(org)), ("order", Id(orderId)), ("pos", 0), ("product", Id(orderId)), ("name", ""),
                ("qty", Money(3m)), ("unit", ""), ("price", Money(0m)), ("zero", Money(0m)), ("rate", Money(0m)), ("net", Money(0m)), ("vat", Money(0m))))
            {
                insert.Transaction = tx;
                for (var i = 0; i < lines.Count; i++)
                {
                    var (product, lineId, priced) = lines[i];
                    insert.Parameters["id"].Value = Id(lineId);
                    insert.Parameters["pos"].Value = i;
                    insert.Parameters["product"].Value = Id(product.Id);
                    insert.Parameters["name"].Value = product.Name;
                    insert.Parameters["unit"].Value = product.Unit;
                    insert.Parameters["price"].Value = Money(priced.UnitPrice);
                    insert.Parameters["rate"].Value = Money(priced.VatRate);
                    insert.Parameters["net"].Value = Money(totals.Lines[i].Net);
                    insert.Parameters["vat"].Value = Money(totals.Lines[i].Vat);
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }

            // Roll-up: the deal's ordered amount is the sum of its live orders; the first order wins it.
            decimal ordered;
            await using (var sum = Command(c, """SELECT COALESCE(SUM("NetTotal"), 0) FROM "Orders" WHERE "OpportunityId" = @opp AND "Status" <> 'Cancelled'""",
                ("opp", Id(opportunityId))))
            {
                sum.Transaction = tx;
                await using var r = await sum.ExecuteReaderAsync(ct);
                await r.ReadAsync(ct);
                ordered = ReadMoney(r, 0);
            }

            // The won deal leaves the board's running totals (as the app's save does).
            await ExecAsync(c, tx, """
                UPDATE "BoardTotals" SET "Count" = "Count" - 1,
                    "Total" = "Total" - (SELECT "ForecastAmountBase" FROM "Opportunities" WHERE "Id" = @opp),
                    "WeightedTotal" = "WeightedTotal" - (SELECT "WeightedAmountBase" FROM "Opportunities" WHERE "Id" = @opp)
                WHERE ("OrganizationId", "PipelineId", "StageId", "OwnerId") =
                    (SELECT "OrganizationId", "PipelineId", "StageId", "OwnerId" FROM "Opportunities" WHERE "Id" = @opp AND "Status" = 'Open')
                """, ct, ("opp", Id(opportunityId)));
            var updated = await ExecAsync(c, tx, """
                UPDATE "Opportunities" SET "Status" = 'Won', "ClosedOn" = @date, "Probability" = 100, "OrderedAmount" = @ordered, "DeliveredAmount" = @zero,
                    "ForecastSource" = 'Ordered', "ForecastAmount" = @ordered, "ForecastAmountBase" = @ordered, "WeightedAmountBase" = @ordered,
                    "ForecastCategory" = 'Commit', "Version" = "Version" + 1
                WHERE "Id" = @opp AND "Version" = @v
                """, ct, ("date", Date(today)), ("ordered", Money(ordered)), ("zero", Money(0m)), ("opp", Id(opportunityId)), ("v", version));
            if (updated != 1)
            {
                throw new InvalidOperationException("The opportunity changed meanwhile.");
            }

            await RecordEventAsync(c, tx, org, opportunityId, userId, now, "Won", number, ct);
            await tx.CommitAsync(ct);
        }

        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            var deliveryId = Guid.CreateVersion7();
            await ExecAsync(c, tx, """
                INSERT INTO "Deliveries" ("Id", "OrganizationId", "OrderId", "Kind", "Date", "CreatedById", "CreatedAt") VALUES (@id, @org, @order, 'Delivery', @date, @user, @now)
                """, ct, ("id", Id(deliveryId)), ("org", Id(org)), ("order", Id(orderId)), ("date", Date(today)), ("user", Id(userId)), ("now", Time(now)));
            await using (var insert = Command(c, """
                INSERT INTO "DeliveryLines" ("Id", "OrganizationId", "DeliveryId", "OrderLineId", "Quantity") VALUES (@id, @org, @delivery, @line, @qty)
                """, ("id", Id(deliveryId)), ("org", Id(org)), ("delivery", Id(deliveryId)), ("line", Id(deliveryId)), ("qty", Money(3m))))
            {
                insert.Transaction = tx;
                foreach (var line in lines)
                {
                    insert.Parameters["id"].Value = Id(Guid.CreateVersion7());
                    insert.Parameters["line"].Value = Id(line.Id);
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }

            await ExecAsync(c, tx, """
                UPDATE "OrderLines" SET "DeliveredQuantity" = "Quantity" - "CancelledQuantity", "DeliveredNet" = "NetAmount", "RemainingNetBase" = @zero WHERE "OrderId" = @order
                """, ct, ("zero", Money(0m)), ("order", Id(orderId)));
            await ExecAsync(c, tx, """
                UPDATE "Orders" SET "Status" = 'Delivered', "DeliveredNet" = "NetTotal", "DeliveredNetBase" = "NetTotalBase", "Version" = "Version" + 1 WHERE "Id" = @order
                """, ct, ("order", Id(orderId)));
            await ExecAsync(c, tx, """
                UPDATE "Opportunities" SET "DeliveredAmount" = (SELECT COALESCE(SUM("DeliveredNet"), 0) FROM "Orders" WHERE "OpportunityId" = @opp AND "Status" <> 'Cancelled'),
                    "Version" = "Version" + 1
                WHERE "Id" = @opp
                """, ct, ("opp", Id(opportunityId)));
            await RecordEventAsync(c, tx, org, opportunityId, userId, now, "Changed", null, ct);
            await tx.CommitAsync(ct);
        }

        return orderId;
    }

    private static async Task<int> ExecAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(c, sql, parameters);
        cmd.Transaction = tx;
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The history row the app writes with a change: the deal's whole state right after it, copied from its row.</summary>
    private async Task RecordEventAsync(DbConnection c, DbTransaction tx, Guid org, Guid opportunityId, Guid userId, DateTimeOffset now, string kind, string? note,
        CancellationToken ct) =>
        await ExecAsync(c, tx, """
            INSERT INTO "OpportunityEvents" ("Id", "OrganizationId", "OpportunityId", "Kind", "UserId", "At", "FromStatus", "ToStatus", "Note", "Amount", "Currency",
                "Probability", "PipelineId", "StageId", "Status", "OwnerId", "ExpectedAmount", "QuotedAmount", "OrderedAmount", "DeliveredAmount",
                "ForecastAmountBase", "WeightedAmountBase", "ExchangeRate", "ExpectedCloseDate", "ForecastCategory", "ClosedOn", "Sequence")
            SELECT @id, o."OrganizationId", o."Id", @kind, @user, @now, CASE WHEN @kind = 'Won' THEN 'Open' END, CASE WHEN @kind = 'Won' THEN 'Won' END, @note,
                o."ForecastAmount", o."Currency", o."Probability", o."PipelineId", o."StageId", o."Status", o."OwnerId", o."ExpectedAmount", o."QuotedAmount",
                o."OrderedAmount", o."DeliveredAmount", o."ForecastAmountBase", o."WeightedAmountBase", o."ExchangeRate", o."ExpectedCloseDate",
                o."ForecastCategory", o."ClosedOn", o."Version"
            FROM "Opportunities" o WHERE o."Id" = @opp AND o."OrganizationId" = @org
            """, ct, ("id", Id(Guid.CreateVersion7())), ("org", Id(org)), ("opp", Id(opportunityId)), ("user", Id(userId)), ("now", Time(now)),
            ("kind", kind), ("note", (object?)note ?? DBNull.Value));
}
