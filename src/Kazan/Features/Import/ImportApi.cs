using System.Globalization;
using Kazan.Features.Exports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

public sealed record ImportMappingRequest(IReadOnlyList<string?> Columns, ImportMode Mode, string? NumberFormat) : IImportMappingFields
{
    string IImportMappingFields.NumberFormat => NumberFormat ?? "tr";
}

public sealed record ImportRunRequest(ImportErrorPolicy? OnError);

/// <summary>
/// Imports (managers and admins): upload a CSV or XLSX file as the request body, map its columns, preview, dry run,
/// import, follow the progress, download the failing rows. See docs/api.md, "Importing".
/// </summary>
public static class ImportApi
{
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization(Policies.Manager);
        group.MapPost("/", Upload).WithSummary("Uploads a file (the request body: CSV or XLSX) to import into target=accounts|contacts|products; answers with its columns and suggested fields.");
        group.MapGet("/", List).WithSummary("The organization's latest imports, newest first.");
        group.MapGet("/{id:guid}", Get).WithSummary("An import: its mapping, status and (while running) live progress.");
        group.MapPut("/{id:guid}/mapping", Map).WithSummary("Sets the field of each column, the mode (create, update, createOrUpdate) and the number format (tr, en).");
        group.MapGet("/{id:guid}/preview", Preview).WithSummary("The first rows as they would be saved, with each row's problems; nothing is written.");
        group.MapPost("/{id:guid}/dry-run", DryRun).WithSummary("Checks every row in the background as the import would; nothing is written.").IfMatchOptional();
        group.MapPost("/{id:guid}/run", Run).WithSummary("Imports in the background, in one transaction: onError=stopOnFirstError writes nothing if a row fails, skipInvalidRows writes the rest.").IfMatchOptional();
        group.MapPost("/{id:guid}/cancel", Cancel).WithSummary("Cancels a queued or running import; nothing of it is written.");
        group.MapGet("/{id:guid}/errors", Errors).WithSummary("The failing rows' problems by line (limit up to 1000).");
        group.MapGet("/{id:guid}/errors/file", ErrorFile).WithSummary("The failing rows as they are in the file, with an error column (format=csv|xlsx).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Deletes an import that is not running, with its file.");
        return app;
    }

    private static async Task<Results<Created<ImportResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpContext http, string? target, string? fileName, string? encoding, string? delimiter,
        KazanDbContext db, CurrentUser me, TimeProvider clock, ImportLimits limits, ImportProgress progress, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        if (!Enum.TryParse<ImportTarget>(target, ignoreCase: true, out var what) || !Enum.IsDefined(what) || int.TryParse(target, out _))
        {
            return Problems.Validation("target", "target is accounts, contacts or products.");
        }

        // The file is checked against the import's own limit, not the API's 1 MB: refused at once when it says it is larger.
        if (http.Request.ContentLength > limits.MaxFileBytes)
        {
            return TooLarge(limits);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxFileBytes + 1;
        }

        var outcome = await ImportCommands.UploadAsync(db, me, clock, limits, what, fileName, http.Request.Body, encoding, delimiter, Culture(), ct);
        if (outcome.Rule?.Code == "import.file-too-large")
        {
            return TooLarge(limits);
        }

        return await ApiOutcomes.CreatedAsync(outcome, http, j => $"/api/v1/imports/{j.Id}", j => Task.FromResult(ImportQueries.ToResponse(j, progress, l)));
    }

    private static ProblemHttpResult TooLarge(ImportLimits limits) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The file is too large.",
        Detail = $"An import file is at most {limits.MaxFileBytes / (1024 * 1024)} MB (Kazan:Import:MaxFileBytes).",
        Extensions = { ["code"] = "import.file-too-large" },
    });

    private static async Task<Ok<List<ImportResponse>>> List(KazanDbContext db, ImportProgress progress, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        TypedResults.Ok((await ImportQueries.LatestAsync(db, 50, ct)).Select(j => ImportQueries.ToResponse(j, progress, l)).ToList());

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Get(
        Guid id, KazanDbContext db, ImportProgress progress, IStringLocalizer<SharedResource> l, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await ImportQueries.GetAsync(db, id, ct), "Import", http, j => j.Version, j => ImportQueries.ToResponse(j, progress, l));

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Map(
        Guid id, ImportMappingRequest request, IfMatch ifMatch, KazanDbContext db, ImportProgress progress, IStringLocalizer<SharedResource> l, HttpContext http, CancellationToken ct)
    {
        if (request.Columns is null || !Enum.IsDefined(request.Mode))
        {
            return Problems.Validation("columns", "columns (one field or null per column of the file) and mode are required.");
        }

        return ApiOutcomes.Ok(await ImportCommands.MapAsync(db, id, ifMatch.Version, request, ct), http, j => ImportQueries.ToResponse(j, progress, l));
    }

    private static async Task<Results<Ok<IReadOnlyList<ImportPreviewRow>>, ValidationProblem, ProblemHttpResult>> Preview(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, ImportLimits limits, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var outcome = await ImportCommands.PreviewAsync(db, me, clock, limits, l, id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : ApiOutcomes.Problem(outcome);
    }

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> DryRun(
        Guid id, IfMatch ifMatch, KazanDbContext db, ImportSchedule schedule, ImportProgress progress, IStringLocalizer<SharedResource> l, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await ImportCommands.StartAsync(db, schedule, id, ifMatch.Optional, dryRun: true, ImportErrorPolicy.StopOnFirstError, Culture(), ct), http, j => ImportQueries.ToResponse(j, progress, l));

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Run(
        Guid id, ImportRunRequest? request, IfMatch ifMatch, KazanDbContext db, ImportSchedule schedule, ImportProgress progress, IStringLocalizer<SharedResource> l, HttpContext http, CancellationToken ct)
    {
        if (request?.OnError is { } policy && !Enum.IsDefined(policy))
        {
            return Problems.Validation("onError", "onError is stopOnFirstError or skipInvalidRows.");
        }

        return ApiOutcomes.Ok(
            await ImportCommands.StartAsync(db, schedule, id, ifMatch.Optional, dryRun: false, request?.OnError ?? ImportErrorPolicy.StopOnFirstError, Culture(), ct),
            http, j => ImportQueries.ToResponse(j, progress, l));
    }

    private static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, KazanDbContext db, ImportProgress progress, TimeProvider clock, IStringLocalizer<SharedResource> l, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await ImportCommands.CancelAsync(db, progress, clock, id, ct), http, j => ImportQueries.ToResponse(j, progress, l));

    private static async Task<Results<Ok<ImportErrorsResponse>, ValidationProblem, ProblemHttpResult>> Errors(Guid id, int? limit, KazanDbContext db, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Validation("limit", "limit is between 1 and 1000.");
        }

        return await ImportQueries.GetAsync(db, id, ct) is null
            ? Problems.NotFound("Import")
            : TypedResults.Ok(await ImportQueries.ErrorsAsync(db, id, limit ?? 100, ct));
    }

    private static async Task<Results<TableDownload, ValidationProblem, ProblemHttpResult>> ErrorFile(
        Guid id, string? format, KazanDbContext db, ImportLimits limits, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        if (ListExport.CheckFormat(format) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var job = await ImportQueries.GetAsync(db, id, ct);
        if (job is null)
        {
            return Problems.NotFound("Import");
        }

        try
        {
            return await ImportQueries.ErrorFileAsync(db, job, limits, format, l, ct);
        }
        catch (ImportFileException e)
        {
            return ApiOutcomes.Problem<ImportJob>(Outcome.Broken(e.Message, e.Code));
        }
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, KazanDbContext db, ImportLimits limits, CancellationToken ct) =>
        ApiOutcomes.NoContent(await ImportCommands.DeleteAsync(db, limits, id, ct));

    /// <summary>The caller's language ("tr" or "en"): the run writes its row errors in it.</summary>
    public static string Culture() => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "tr";
}

public static class ImportSetup
{
    public static IServiceCollection AddKazanImports(this IServiceCollection services)
    {
        services.AddSingleton<ImportLimits>();
        services.AddSingleton<ImportProgress>();
        services.AddSingleton<ImportSchedule>();
        services.AddScoped<ImportRunner>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
