using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PdfSharp.Pdf;

namespace Kazan.Bench.Scenarios;

/// <summary>
/// The baseline server: bare Kestrel in this process, no authentication, no EF, each endpoint one hand-written
/// <see cref="HandSql"/> call serialized as JSON. It answers the same questions as the app, so app vs baseline is the
/// cost of the app's stack (auth, tenancy filters, EF, validation, problem details) on the same database.
/// </summary>
public sealed class BareServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static async Task<BareServer> StartAsync(HandSql sql, List<ProductRow> products)
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/board/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, CancellationToken ct) =>
            await sql.BoardAsync(org, pipeline, ct) is { } board ? Results.Ok(board) : Results.NotFound());
        app.MapGet("/list/{org:guid}", async (Guid org, string from, decimal min, int limit, string? afterDate, Guid? afterId, CancellationToken ct) =>
        {
            var q = new ListQuery(DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture), min, limit);
            (DateOnly, Guid)? after = afterDate is null || afterId is null ? null : (DateOnly.ParseExact(afterDate, "yyyy-MM-dd", CultureInfo.InvariantCulture), afterId.Value);
            return Results.Ok(await sql.ListAsync(org, q, after, ct));
        });
        app.MapGet("/pipeline-report/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, DateTimeOffset? asOf, CancellationToken ct) =>
            Results.Ok(await sql.PipelineReportAsync(org, pipeline, asOf, ct)));
        app.MapGet("/reconciliation/{org:guid}", async (Guid org, DateOnly from, int count, DateOnly today, CancellationToken ct) =>
            Results.Ok(await sql.ReconciliationAsync(org, from, count, today, ct)));
        app.MapGet("/win-rate/{org:guid}", async (Guid org, DateOnly from, int count, CancellationToken ct) => Results.Ok(await sql.WinRateAsync(org, from, count, ct)));
        app.MapGet("/funnel/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, DateTimeOffset start, DateTimeOffset end, CancellationToken ct) =>
            Results.Ok(await sql.FunnelAsync(org, pipeline, start, end, ct)));
        app.MapGet("/stage-probability/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, DateOnly from, DateOnly to, CancellationToken ct) =>
            Results.Ok(await sql.StageProbabilityAsync(org, pipeline, from, to, ct)));
        app.MapGet("/velocity/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, DateTimeOffset start, DateTimeOffset end, CancellationToken ct) =>
            await sql.VelocityAsync(org, pipeline, start, end, ct) is var (stays, won, lost, open, wonTotal)
                ? Results.Ok(new
                {
                    Stages = stays.GroupBy(s => s.StageId).Select(g => new { StageId = g.Key, Stays = g.Count(), AverageDays = g.Average(s => (s.Left - s.Entered).TotalDays) }),
                    Won = won,
                    Lost = lost,
                    Open = open,
                    WonTotal = wonTotal,
                })
                : Results.NotFound());
        app.MapGet("/movement/{org:guid}", async (Guid org, DateTimeOffset start, DateTimeOffset? end, DateOnly closeFrom, DateOnly closeTo, CancellationToken ct) =>
            Results.Ok(await sql.MovementAsync(org, start, end, closeFrom, closeTo, ct)));
        app.MapGet("/dashboard/{org:guid}/{pipeline:guid}", async (Guid org, Guid pipeline, Guid? owner, DateOnly today, DateTimeOffset monthStart, CancellationToken ct) =>
            Results.Ok(await sql.DashboardAsync(org, pipeline, owner, today, monthStart, ct)));
        app.MapGet("/opportunity/{org:guid}/{id:guid}", async (Guid org, Guid id, CancellationToken ct) =>
            await sql.OpportunityAsync(org, id, ct) is { } d ? Results.Ok(d) : Results.NotFound());
        app.MapGet("/export/{org:guid}", async (Guid org, HttpContext http, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            await sql.ExportOpportunitiesCsvAsync(org, http.Response.Body, ct);
        });
        app.MapGet("/search/{org:guid}", async (Guid org, string q, CancellationToken ct) => Results.Ok(await sql.SearchAsync(org, q, ct)));
        app.MapPost("/order/{org:guid}/{user:guid}/{opportunity:guid}/{account:guid}", async (Guid org, Guid user, Guid opportunity, Guid account, CancellationToken ct) =>
            Results.Created($"/order/{await sql.CreateOrderAndDeliverAsync(org, user, opportunity, account, products, ct)}", (object?)null));
        app.MapGet("/blank-pdf", () =>
        {
            using var document = new PdfDocument();
            document.AddPage();
            using var stream = new MemoryStream();
            document.Save(stream, closeStream: false);
            return Results.File(stream.ToArray(), "application/pdf");
        });
        await app.StartAsync();
        return new BareServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
