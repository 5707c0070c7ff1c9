using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Import;

/// <summary>What a file brings in.</summary>
public enum ImportTarget
{
    Accounts,
    Contacts,
    Products,

    /// <summary>Deals: created only (never matched to existing ones), each with its history starting at the import.</summary>
    Opportunities,

    /// <summary>Tasks, calls, meetings and notes on accounts: created only, planned or logged as done.</summary>
    Activities,
}

/// <summary>How a row meets the records already there, by the target's key (tax number, e-mail, product code).</summary>
public enum ImportMode
{
    /// <summary>Every row is a new record; a row whose key is already taken is an error.</summary>
    Create,

    /// <summary>Every row changes the record with its key; a row whose key is not found is an error.</summary>
    Update,

    /// <summary>Changes the record with the row's key, or creates one when there is none.</summary>
    CreateOrUpdate,
}

/// <summary>What an import does with rows that fail.</summary>
public enum ImportErrorPolicy
{
    /// <summary>Nothing is written when any row fails (all or nothing).</summary>
    StopOnFirstError,

    /// <summary>The valid rows are written, in one transaction; the failing ones are listed in the error file.</summary>
    SkipInvalidRows,
}

public enum ImportStatus
{
    /// <summary>Uploaded and read; columns waiting to be mapped.</summary>
    Uploaded,

    /// <summary>Waiting for another import to finish (one runs at a time).</summary>
    Queued,

    /// <summary>A dry run or an import is going through the rows.</summary>
    Running,

    /// <summary>The dry run went through every row; nothing was written.</summary>
    Checked,

    /// <summary>The rows were written.</summary>
    Imported,

    /// <summary>Stopped: rows failed under "stop on first error", or the file could not be read; nothing was written.</summary>
    Failed,

    /// <summary>Cancelled by the user; nothing was written.</summary>
    Cancelled,

    /// <summary>The server stopped during the run; nothing was written and the import can be started again.</summary>
    Interrupted,
}

/// <summary>
/// One file on its way in: what was uploaded (the file itself stays in the data folder, never served back), how its
/// columns map to fields, and how its last dry run or import went. The rows are written in one transaction, so a
/// job is either imported whole (the valid rows) or not at all.
/// </summary>
public sealed class ImportJob : ITenantEntity, IVersioned
{
    private ImportJob()
    {
        FileName = "";
        Columns = "[]";
        NumberFormat = "tr";
        Culture = "tr";
    }

    public ImportJob(Guid organizationId, Guid createdById, ImportTarget target, string fileName, long fileBytes, ImportFormat format, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        CreatedById = createdById;
        Target = target;
        FileName = fileName.Length > 200 ? fileName[..200] : fileName;
        FileBytes = fileBytes;
        Format = format;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid CreatedById { get; private set; }
    public ImportTarget Target { get; private set; }
    public string FileName { get; private set; }
    public long FileBytes { get; private set; }
    public ImportFormat Format { get; private set; }

    /// <summary>The text encoding of a CSV file: utf-8 or windows-1254 (detected, or chosen by the user).</summary>
    public string? Encoding { get; set; }

    /// <summary>The CSV delimiter (detected from the header line, or chosen).</summary>
    public string? Delimiter { get; set; }

    /// <summary>How numbers are written in the file: "tr" (1.234,56) or "en" (1,234.56). Typed XLSX cells need neither.</summary>
    public string NumberFormat { get; set; }

    /// <summary>The language the row errors are written in (the one of the user who last ran the job).</summary>
    public string Culture { get; set; }

    /// <summary>The header row, as a JSON array of strings.</summary>
    public string Columns { get; private set; }

    /// <summary>The field each column goes to (JSON array, one per column, null where the column is left out).</summary>
    public string? Mapping { get; private set; }

    public ImportMode Mode { get; private set; }
    public ImportErrorPolicy OnError { get; private set; }
    public ImportStatus Status { get; private set; }

    /// <summary>Whether the last run was a dry run (nothing written whatever its result).</summary>
    public bool DryRun { get; private set; }

    public int? TotalRows { get; private set; }
    public int ProcessedRows { get; private set; }
    public int InvalidRows { get; private set; }
    public int CreatedRows { get; private set; }
    public int UpdatedRows { get; private set; }

    /// <summary>Why the run stopped when it did not go through the rows (a file that cannot be read); null otherwise.</summary>
    public string? Message { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public int Version { get; private set; }

    public bool IsBusy => Status is ImportStatus.Queued or ImportStatus.Running;

    /// <summary>The job's file in the data folder: named after the job, never after what the user called it.</summary>
    public string StoredName => $"{Id:N}.{(Format == ImportFormat.Xlsx ? "xlsx" : "csv")}";

    public void Read(IReadOnlyList<string> columns, string? encoding, string? delimiter, int totalRows)
    {
        Columns = System.Text.Json.JsonSerializer.Serialize(columns);
        Encoding = encoding;
        Delimiter = delimiter;
        TotalRows = totalRows;
    }

    public IReadOnlyList<string> ColumnList => System.Text.Json.JsonSerializer.Deserialize<List<string>>(Columns) ?? [];

    public IReadOnlyList<string?> MappingList => Mapping is null ? ColumnList.Select(_ => (string?)null).ToList() : System.Text.Json.JsonSerializer.Deserialize<List<string?>>(Mapping) ?? [];

    /// <summary>Sets how the columns map to fields and how rows meet existing records; not while a run is going on.</summary>
    public void Map(IReadOnlyList<string?> mapping, ImportMode mode, string numberFormat)
    {
        if (IsBusy)
        {
            throw new DomainRuleException("The import is running: wait for it to finish or cancel it first.", "import.busy");
        }

        if (Status == ImportStatus.Imported)
        {
            throw new DomainRuleException("This file has been imported already.", "import.done");
        }

        Mapping = System.Text.Json.JsonSerializer.Serialize(mapping);
        Mode = mode;
        NumberFormat = numberFormat;
        Status = ImportStatus.Uploaded;
        ResetCounts();
    }

    /// <summary>Queues a dry run or the import itself.</summary>
    public void Queue(bool dryRun, ImportErrorPolicy onError, string culture)
    {
        if (IsBusy)
        {
            throw new DomainRuleException("The import is running already.", "import.busy");
        }

        if (Status == ImportStatus.Imported)
        {
            throw new DomainRuleException("This file has been imported already.", "import.done");
        }

        if (Mapping is null)
        {
            throw new DomainRuleException("Map the columns to fields first.", "import.not-mapped");
        }

        DryRun = dryRun;
        OnError = onError;
        Culture = culture;
        Status = ImportStatus.Queued;
        ResetCounts();
    }

    /// <summary>Takes a queued run off the queue (a running one is cancelled by its runner, which rolls it back).</summary>
    public void CancelQueued(DateTimeOffset now)
    {
        if (Status != ImportStatus.Queued)
        {
            throw new DomainRuleException("Only a queued or running import can be cancelled.", "import.not-running");
        }

        Status = ImportStatus.Cancelled;
        FinishedAt = now;
    }

    public void Start(DateTimeOffset now)
    {
        Status = ImportStatus.Running;
        StartedAt = now;
        FinishedAt = null;
    }

    /// <summary>The run is over: counts as they ended, and what it came to.</summary>
    public void Finish(ImportStatus status, ImportCounts counts, string? message, DateTimeOffset now)
    {
        Status = status;
        ProcessedRows = counts.Processed;
        InvalidRows = counts.Invalid;
        CreatedRows = counts.Created;
        UpdatedRows = counts.Updated;
        Message = message;
        FinishedAt = now;
    }

    private void ResetCounts()
    {
        ProcessedRows = InvalidRows = CreatedRows = UpdatedRows = 0;
        Message = null;
        StartedAt = FinishedAt = null;
    }
}

public enum ImportFormat
{
    Csv,
    Xlsx,
}

/// <summary>Where a run stands: rows gone through, rows that failed, records created and changed.</summary>
public readonly record struct ImportCounts(int Processed, int Invalid, int Created, int Updated);

/// <summary>A row that failed: its line in the file (1 is the header), the column, and why (in the job's language).</summary>
public sealed class ImportRowError : ITenantEntity
{
    private ImportRowError()
    {
        Message = "";
    }

    public ImportRowError(Guid organizationId, Guid jobId, int line, string? column, string message, string? code) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        JobId = jobId;
        Line = line;
        Column = column is { Length: > 200 } ? column[..200] : column;
        Message = message.Length > 1000 ? message[..1000] : message;
        Code = code;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid JobId { get; private set; }
    public int Line { get; private set; }
    public string? Column { get; private set; }
    public string Message { get; private set; }
    public string? Code { get; private set; }
}

/// <summary>A header the organization has mapped before, and the field it went to: the next file's suggestion.</summary>
public sealed class ImportMappingMemory : ITenantEntity
{
    private ImportMappingMemory()
    {
        HeaderKey = "";
        Field = "";
    }

    public ImportMappingMemory(Guid organizationId, ImportTarget target, string headerKey, string field) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Target = target;
        HeaderKey = headerKey;
        Field = field;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public ImportTarget Target { get; private set; }
    public string HeaderKey { get; private set; }
    public string Field { get; set; }
}
