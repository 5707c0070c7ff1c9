using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Import;

/// <summary>The import API's steps as a client takes them: upload, map, dry run or run, wait for the end.</summary>
public static class ImportSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostFileAsync(this HttpClient client, string target, byte[] file, string fileName, string? query = null)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        return client.PostAsync($"/api/v1/imports?target={target}&fileName={Uri.EscapeDataString(fileName)}{query}", content, Ct);
    }

    public static async Task<JsonElement> UploadAsync(this HttpClient client, string target, byte[] file, string fileName, string? query = null)
    {
        var response = await client.PostFileAsync(target, file, fileName, query);
        await response.EnsureSuccessAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<JsonElement> MapAsync(this HttpClient client, JsonElement job, string?[] columns, string mode = "Create", string numberFormat = "tr")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/imports/{job.GetProperty("id")}/mapping")
        {
            Content = JsonContent.Create(new { columns, mode, numberFormat }),
        };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{job.GetProperty("version").GetInt32()}\""));
        var response = await client.SendAsync(request, Ct);
        await response.EnsureSuccessAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Starts a dry run or the import and waits for it to end; answers the job as it ended.</summary>
    public static async Task<JsonElement> RunAsync(this HttpClient client, JsonElement job, bool dryRun = false, string onError = "StopOnFirstError", int waitSeconds = 120)
    {
        var id = job.GetProperty("id").GetGuid();
        var response = dryRun
            ? await client.PostAsync($"/api/v1/imports/{id}/dry-run", null, Ct)
            : await client.PostAsJsonAsync($"/api/v1/imports/{id}/run", new { onError }, Ct);
        await response.EnsureSuccessAsync();
        return await client.WaitAsync(id, waitSeconds);
    }

    public static async Task<JsonElement> WaitAsync(this HttpClient client, Guid id, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
            if (job.GetProperty("status").GetString() is not ("Queued" or "Running"))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The import did not end in {seconds} s.");
            await Task.Delay(50, Ct);
        }
    }

    public static string?[] Fields(this JsonElement job) =>
        job.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToArray();

    public static int Count(this JsonElement job, string counter) => job.GetProperty(counter).GetInt32();

    public static async Task<JsonElement> ErrorsAsync(this HttpClient client, JsonElement job) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{job.GetProperty("id")}/errors?limit=1000", Ct);
}
