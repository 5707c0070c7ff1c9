using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Opportunities;

/// <summary>The opportunities list's "save this view" and its × go through the saved-filter commands, like the API.</summary>
public sealed class SavedFilterPageTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Saving_a_view_under_an_existing_name_replaces_it_and_its_cross_deletes_it()
    {
        var org = await factory.CreateOrganizationAsync("Görünüm Kaydı A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);

        var first = await rep.Client.PostFormAsync("/opportunities", "save-filter",
            new() { ["SaveFilter.Name"] = "Büyük açıklar", ["SaveFilter.Query"] = "status=Open&amountMin=500000" });
        Assert.Contains("status=Open", (await first.RedirectedAsync())!.ToString(), StringComparison.Ordinal);
        var again = await rep.Client.PostFormAsync("/opportunities", "save-filter",
            new() { ["SaveFilter.Name"] = " Büyük açıklar ", ["SaveFilter.Query"] = "status=Won" });
        await again.RedirectedAsync();

        var mine = await rep.Client.GetFromJsonAsync<List<SavedFilterDto>>("/api/v1/saved-filters?area=opportunities", Sales.Json, Ct);
        var filter = Assert.Single(mine!);
        Assert.Equal(("Büyük açıklar", "status=Won"), (filter.Name, filter.Query));

        var own = await rep.Client.PostFormAsync("/opportunities", $"delete-filter-{filter.Id}", new() { ["DeleteFilterId"] = filter.Id.ToString() });
        await own.RedirectedAsync();
        Assert.Empty((await rep.Client.GetFromJsonAsync<List<SavedFilterDto>>("/api/v1/saved-filters?area=opportunities", Sales.Json, Ct))!);
    }
}
