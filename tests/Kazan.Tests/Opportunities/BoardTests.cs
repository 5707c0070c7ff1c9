using System.Data.Common;
using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Opportunities;

/// <summary>Kazan with every SQL command counted, so a test can prove how many a request costs.</summary>
public sealed class CountingFactory : KazanFactory
{
    public CommandCounter Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<SqliteKazanDbContext>((_, o) => o.AddInterceptors(Counter));
            services.ConfigureDbContext<PostgresKazanDbContext>((_, o) => o.AddInterceptors(Counter));
        });
    }
}

public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }
}

// Its own host: counts every SQL command the host runs, which other classes would add to.
public sealed class BoardTests(CountingFactory factory) : IClassFixture<CountingFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Inserts deals straight through the domain: many at once, fast.</summary>
    private async Task SeedAsync(TestOrganization org, Guid ownerId, Guid accountId, Guid stageId, int count, decimal amount = 1000m, string title = "Kart")
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.AsNoTracking().SingleAsync(s => s.Id == stageId, Ct);
            db.Opportunities.AddRange(Enumerable.Range(0, count).Select(i => new Opportunity(
                org.Id, ownerId, accountId, stage, $"{title} {i}", amount, "TRY", 1m, Today.AddDays(i % 7), org.Admin.Id, DateTimeOffset.UtcNow)));
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task Each_column_shows_count_total_and_weighted_total_of_open_deals_in_the_base_currency()
    {
        var org = await factory.CreateOrganizationAsync("Pano A.Ş.");
        var account = await factory.AccountAsync(org, "Pano Müşterisi", org.Admin.Id, city: null);
        var p = await Sales.DefaultPipelineAsync(org.Admin.Client);
        await Sales.CreateAsync(org.Admin.Client, account, "TL fırsatı", 10_000m);
        await Sales.CreateAsync(org.Admin.Client, new { title = "Dolar fırsatı", accountId = account, expectedAmount = 1_000m, currency = "USD", exchangeRate = 40m, expectedCloseDate = Today.AddDays(3) });
        await Sales.CreateAsync(org.Admin.Client, account, "Teklifte", 100_000m, stageId: p.Stages[3].Id);
        var (won, wonEtag) = await Sales.CreateAsync(org.Admin.Client, account, "Kazanılan", 999_000m, stageId: p.Stages[3].Id);
        await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{won.Id}/won", new { }, wonEtag);

        var board = await org.Admin.Client.GetFromJsonAsync<BoardDto>("/api/v1/board", Sales.Json, Ct);

        Assert.Equal((p.Id, "TRY", 3, 150_000m, 65_000m), (board!.PipelineId, board.BaseCurrency, board.Count, board.Total, board.WeightedTotal));
        Assert.Equal(p.Stages.Select(s => s.Name), board.Columns.Select(c => c.Name));
        var first = board.Columns[0];
        Assert.Equal((2, 50_000m, 5_000m), (first.Count, first.Total, first.WeightedTotal));
        Assert.Equal(["Dolar fırsatı", "TL fırsatı"], first.Cards.Select(c => c.Title)); // by close date
        Assert.Equal(("USD", 1_000m, "Pano Müşterisi"), (first.Cards[0].Currency, first.Cards[0].Amount, first.Cards[0].AccountName));
        Assert.Equal((1, 100_000m, 60_000m), (board.Columns[3].Count, board.Columns[3].Total, board.Columns[3].WeightedTotal));
        Assert.DoesNotContain(board.Columns.SelectMany(c => c.Cards), c => c.Id == won.Id);
        Assert.Equal((0, 0m), (board.Columns[1].Count, board.Columns[1].Total));
    }

    [Fact]
    public async Task Reps_see_only_their_deals_on_the_board_and_owner_team_and_mine_filters_apply()
    {
        var org = await factory.CreateOrganizationAsync("Pano Filtre A.Ş.");
        var team = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "İzmir" }, Ct)).Content.ReadFromJsonAsync<RefDto>(Ct);
        var (ali, aliAccount) = await Sales.RepWithAccountAsync(factory, org, "Ali'nin müşterisi", team!.Id);
        var (ayse, ayseAccount) = await Sales.RepWithAccountAsync(factory, org, "Ayşe'nin müşterisi");
        var adminAccount = await factory.AccountAsync(org, "Merkez müşterisi", org.Admin.Id, city: null);
        await Sales.CreateAsync(ali.Client, aliAccount, "Ali 1", 1_000m);
        await Sales.CreateAsync(ali.Client, aliAccount, "Ali 2", 2_000m);
        await Sales.CreateAsync(ayse.Client, ayseAccount, "Ayşe 1", 4_000m);
        await Sales.CreateAsync(org.Admin.Client, adminAccount, "Merkez 1", 8_000m);

        async Task<(int Count, decimal Total, string Titles)> Board(HttpClient client, string query)
        {
            var b = (await client.GetFromJsonAsync<BoardDto>("/api/v1/board" + query, Sales.Json, Ct))!;
            return (b.Count, b.Total, string.Join(", ", b.Columns.SelectMany(c => c.Cards).Select(c => c.Title).Order()));
        }

        Assert.Equal((2, 3_000m, "Ali 1, Ali 2"), await Board(ali.Client, ""));
        Assert.Equal((1, 4_000m, "Ayşe 1"), await Board(ayse.Client, ""));
        Assert.Equal((0, 0m, ""), await Board(ayse.Client, $"?ownerId={ali.Id}"));
        Assert.Equal((4, 15_000m, "Ali 1, Ali 2, Ayşe 1, Merkez 1"), await Board(org.Admin.Client, ""));
        Assert.Equal((2, 3_000m, "Ali 1, Ali 2"), await Board(org.Admin.Client, $"?ownerId={ali.Id}"));
        Assert.Equal((2, 3_000m, "Ali 1, Ali 2"), await Board(org.Admin.Client, $"?teamId={team.Id}"));
        Assert.Equal((1, 8_000m, "Merkez 1"), await Board(org.Admin.Client, "?mine=true"));
        await (await org.Admin.Client.GetAsync($"/api/v1/board?pipelineId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
    }

    [Fact]
    public async Task A_column_shows_fifty_cards_and_more_pages_follow_in_order_without_repeats()
    {
        var org = await factory.CreateOrganizationAsync("Sütun A.Ş.");
        var account = await factory.AccountAsync(org, "Çok Kartlı", org.Admin.Id, city: null);
        var p = await Sales.DefaultPipelineAsync(org.Admin.Client);
        await SeedAsync(org, org.Admin.Id, account, p.Stages[1].Id, 73);

        var board = await org.Admin.Client.GetFromJsonAsync<BoardDto>("/api/v1/board", Sales.Json, Ct);
        var column = board!.Columns[1];
        Assert.Equal((73, 50), (column.Count, column.Cards.Count));
        var seen = column.Cards.ToList();
        var cursor = column.Next;
        while (cursor is not null)
        {
            var page = await org.Admin.Client.GetFromJsonAsync<PageDto<CardDto>>($"/api/v1/board/column?stageId={column.StageId}&cursor={cursor}&limit=10", Sales.Json, Ct);
            seen.AddRange(page!.Items);
            cursor = page.Next;
        }

        Assert.Equal(73, seen.Select(c => c.Id).Distinct().Count());
        Assert.Equal(seen.Select(c => c.ExpectedCloseDate).Order(), seen.Select(c => c.ExpectedCloseDate));
        await (await org.Admin.Client.GetAsync($"/api/v1/board/column?stageId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync($"/api/v1/board/column?stageId={column.StageId}&cursor=nonsense", Ct)).ProblemAsync(400);
    }

    [Fact]
    public async Task The_board_costs_a_constant_plus_one_sql_command_per_stage_whatever_the_number_of_cards()
    {
        var org = await factory.CreateOrganizationAsync("Sorgu Sayısı A.Ş.");
        var account = await factory.AccountAsync(org, "Sayım Müşterisi", org.Admin.Id, city: null);
        var team = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Sayım" }, Ct)).Content.ReadFromJsonAsync<RefDto>(Ct);
        var (small, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "İki aşama", stages = new[] { new { name = "A", probability = 10 }, new { name = "B", probability = 50 } } });
        var (large, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Yedi aşama", stages = Enumerable.Range(1, 7).Select(i => new { name = $"Aşama {i}", probability = i * 10 }).ToArray() });
        await SeedAsync(org, org.Admin.Id, account, small.Stages[0].Id, 3);
        await SeedAsync(org, org.Admin.Id, account, large.Stages[0].Id, 5);

        async Task<int> Commands(string query)
        {
            await org.Admin.Client.GetAsync("/api/v1/board" + query, Ct); // warm: token and settings caches
            factory.Counter.Reset();
            (await org.Admin.Client.GetAsync("/api/v1/board" + query, Ct)).EnsureSuccessStatusCode();
            return factory.Counter.Count;
        }

        var smallBoard = await Commands($"?pipelineId={small.Id}");
        var largeBoard = await Commands($"?pipelineId={large.Id}&teamId={team!.Id}");
        var constant = smallBoard - small.Stages.Count;
        Assert.Equal(constant, largeBoard - large.Stages.Count);
        Assert.InRange(constant, 1, 6);

        foreach (var stage in large.Stages)
        {
            await SeedAsync(org, org.Admin.Id, account, stage.Id, 60);
        }

        Assert.Equal(largeBoard, await Commands($"?pipelineId={large.Id}&teamId={team.Id}"));
        Assert.Equal(largeBoard, await Commands($"?pipelineId={large.Id}"));
    }
}
