using System.Globalization;
using System.Text;

namespace Kazan.Bench.Scenarios;

public sealed partial class HandSql
{
    /// <summary>
    /// The baseline of the opportunity export: the same rows and columns the app's export writes (every deal of the
    /// organization, by close date and id, with account, owner and stage names joined), read by one plain SELECT and
    /// written as CSV (UTF-8 with BOM, RFC 4180 quoting) straight to <paramref name="output"/>. Returns the row count.
    /// </summary>
    public async Task<long> ExportOpportunitiesCsvAsync(Guid org, Stream output, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT o."Title", a."Name", u."DisplayName", s."Name", o."Status", o."ForecastAmount", o."Currency", o."ForecastAmountBase",
                   o."WeightedAmountBase", o."Probability", o."ExpectedCloseDate", o."CreatedAt"
            FROM "Opportunities" o
            LEFT JOIN "Accounts" a ON a."Id" = o."AccountId"
            LEFT JOIN "Users" u ON u."Id" = o."OwnerId"
            LEFT JOIN "Stages" s ON s."Id" = o."StageId"
            WHERE o."OrganizationId" = @org
            ORDER BY o."ExpectedCloseDate", o."Id"
            """, ("org", Id(org)));
        cmd.CommandTimeout = 0;
        await output.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        var csv = new StringBuilder(1 << 17);
        csv.Append("Title,Account,Owner,Stage,Status,Amount,Currency,Amount (base currency),Weighted,Probability,Expected close,Created\r\n");
        long rows = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            Text(csv, r.GetString(0)).Append(',');
            Text(csv, Str(r, 1)).Append(',');
            Text(csv, Str(r, 2)).Append(',');
            Text(csv, Str(r, 3)).Append(',');
            csv.Append(r.GetString(4)).Append(',');
            csv.Append(ReadMoney(r, 5).ToString("0.00##", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(r.GetString(6)).Append(',');
            csv.Append(ReadMoney(r, 7).ToString("0.00##", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(ReadMoney(r, 8).ToString("0.00##", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(r.GetInt32(9).ToString(CultureInfo.InvariantCulture)).Append(',');
            csv.Append(r.GetFieldValue<DateOnly>(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(ReadTime(r, 11).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("\r\n");
            rows++;
            if (csv.Length >= 1 << 16)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), ct);
                csv.Clear();
            }
        }

        await output.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), ct);
        return rows;
    }

    private static StringBuilder Text(StringBuilder csv, string? text)
    {
        text ??= "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny([',', '"', '\n', '\r']) >= 0
            ? csv.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : csv.Append(text);
    }
}
