using System.Globalization;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;

namespace Kazan.Features.Import;

/// <summary>
/// The import page's upload form: a plain multipart POST (no script), so a large file goes up as the browser sends it.
/// It answers with a redirect: to the new import's page, or back to the list with the reason's code.
/// </summary>
public static class ImportForms
{
    /// <summary>Room for the form's other fields (antiforgery token, target, encoding) and the multipart boundaries.</summary>
    private const long FormOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapImportForms(this IEndpointRouteBuilder app)
    {
        // Antiforgery is validated by the handler, after the body limit is raised (the token is read from the form).
        app.MapPost("/imports/upload", Upload).RequireAuthorization(Policies.Manager).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Upload(
        HttpContext http, IAntiforgery antiforgery, KazanDbContext db, CurrentUser me, TimeProvider clock, ImportLimits limits, CancellationToken ct)
    {
        // The file is held to the import's own limit, not the 1 MB every other request keeps.
        var maxBody = limits.MaxFileBytes + FormOverheadBytes;
        if (http.Request.ContentLength > maxBody)
        {
            return Failed("import.file-too-large", limits.MaxFileBytes / (1024 * 1024));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBody;
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limits.MaxFileBytes }));
        IFormCollection form;
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return Failed("import.file-too-large", limits.MaxFileBytes / (1024 * 1024));
        }
        catch (AntiforgeryValidationException)
        {
            return Failed("import.form-expired"); // a page left open across a sign-in, or a post from another site: nothing is kept
        }

        if (!Enum.TryParse<ImportTarget>(form["target"], ignoreCase: true, out var target) || !Enum.IsDefined(target) || int.TryParse(form["target"], out _))
        {
            return Failed("import.target");
        }

        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Failed("import.file-empty");
        }

        var encoding = form["encoding"].ToString() is { Length: > 0 } chosen ? chosen : null;
        await using var body = file.OpenReadStream();
        var outcome = await ImportCommands.UploadAsync(db, me, clock, limits, target, file.FileName, body, encoding, null, ImportApi.Culture(), ct);
        if (outcome.Value is { } job)
        {
            return Results.LocalRedirect($"/imports/{job.Id}");
        }

        return outcome.Rule is { } rule
            ? Failed(rule.Code ?? "import.file-unreadable", [.. rule.Arguments])
            : Failed(outcome.Codes?.Values.FirstOrDefault() ?? "import.file-unreadable");
    }

    /// <summary>Back to the list, which says why in the user's language (<c>Rule.{code}</c> with the rule's numbers).</summary>
    private static IResult Failed(string code, params object?[] arguments)
    {
        var query = "?error=" + Uri.EscapeDataString(code) + string.Concat(arguments.Select(a =>
            "&arg=" + Uri.EscapeDataString(Convert.ToString(a, CultureInfo.InvariantCulture) ?? "")));
        return Results.LocalRedirect("/imports" + query);
    }
}
