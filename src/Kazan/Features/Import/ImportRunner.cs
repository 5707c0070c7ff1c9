using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>
/// The runs going on now, in memory: their counts as they grow (the page and the API read them for the progress bar)
/// and the switch that cancels them. The database learns a run's counts when it ends; a run that was going on when
/// the server stopped is found "running" at the next start and marked interrupted (nothing of it was committed).
/// </summary>
public sealed class ImportProgress
{
    private readonly ConcurrentDictionary<Guid, Live> _runs = new();

    public sealed class Live(int? total)
    {
        private long _processed;
        private long _invalid;
        private long _created;
        private long _updated;

        public int? Total { get; } = total;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public CancellationTokenSource Cancel { get; } = new();

        public ImportCounts Counts => new((int)Interlocked.Read(ref _processed), (int)Interlocked.Read(ref _invalid), (int)Interlocked.Read(ref _created), (int)Interlocked.Read(ref _updated));

        public void Add(int processed, int invalid, int created, int updated)
        {
            Interlocked.Add(ref _processed, processed);
            Interlocked.Add(ref _invalid, invalid);
            Interlocked.Add(ref _created, created);
            Interlocked.Add(ref _updated, updated);
        }

        /// <summary>Rows per second so far.</summary>
        public double RowsPerSecond => Clock.Elapsed.TotalSeconds < 0.001 ? 0 : Counts.Processed / Clock.Elapsed.TotalSeconds;

        /// <summary>Seconds left at the pace so far; null until there is a pace.</summary>
        public int? SecondsLeft => Total is { } total && RowsPerSecond > 0 ? (int)Math.Ceiling(Math.Max(0, total - Counts.Processed) / RowsPerSecond) : null;
    }

    public Live Begin(Guid jobId, int? total) => _runs[jobId] = new Live(total);

    public Live? Of(Guid jobId) => _runs.GetValueOrDefault(jobId);

    public void End(Guid jobId)
    {
        if (_runs.TryRemove(jobId, out var live))
        {
            live.Cancel.Dispose();
        }
    }

    /// <summary>Asks a running import to stop; false when it is not running here.</summary>
    public bool Cancel(Guid jobId)
    {
        if (_runs.TryGetValue(jobId, out var live))
        {
            live.Cancel.Cancel();
            return true;
        }

        return false;
    }
}

/// <summary>The queue of runs; the worker takes them one at a time.</summary>
public sealed class ImportSchedule
{
    private readonly Channel<Guid> _jobs = Channel.CreateUnbounded<Guid>();

    public void Add(Guid jobId) => _jobs.Writer.TryWrite(jobId);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => _jobs.Reader.ReadAllAsync(ct);
}

/// <summary>Runs queued dry runs and imports one after another, each as the user who started it.</summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, ImportSchedule queue, ILogger<ImportWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await InterruptLeftoversAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Could not mark the imports of the last run as interrupted");
        }

        try
        {
            await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(jobId, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Import {JobId} failed", jobId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs that were queued or going on when the server stopped: nothing of them was committed; they can be started again.</summary>
    private async Task InterruptLeftoversAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var left = await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Status == ImportStatus.Running || j.Status == ImportStatus.Queued).ToListAsync(ct);
        foreach (var job in left)
        {
            job.Finish(ImportStatus.Interrupted, default, null, now);
        }

        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// One dry run or import: reads the file a batch at a time, checks every row with <see cref="ImportRules"/>, and — for
/// an import — saves each batch inside one transaction that commits only at the end, with the job's result and its
/// row errors. A dry run goes through the same steps and rolls everything back. Cancelling, a failure or a crash
/// leaves none of the rows.
/// </summary>
public sealed class ImportRunner(
    KazanDbContext db, BulkInsert bulk, CurrentUser me, TimeProvider clock, ImportLimits limits, ImportProgress progress,
    IStringLocalizer<SharedResource> l, ILogger<ImportRunner> log)
{
    /// <summary>Rows checked and saved together.</summary>
    public const int BatchSize = 1000;

    /// <summary>Failing rows kept with their messages (all are counted).</summary>
    public const int MaxStoredErrors = 10_000;

    /// <summary>SQLite pages the import's connection may keep in memory (see <see cref="BulkInsert.OpenForLongWriteAsync"/>).</summary>
    public const int SqliteCacheMiB = 128;

    public async Task RunAsync(Guid jobId, CancellationToken stopping)
    {
        var job = await db.ImportJobs.IgnoreQueryFilters().FirstOrDefaultAsync(j => j.Id == jobId, stopping);
        if (job is not { Status: ImportStatus.Queued })
        {
            return; // cancelled while queued
        }

        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Id == job.CreatedById, stopping);
        var organization = await db.Organizations.IgnoreQueryFilters().FirstAsync(o => o.Id == job.OrganizationId, stopping);
        me.Set(job.OrganizationId, user.Id, user.Role, repsSeeAll: true);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(job.Culture == "en" ? "en-US" : "tr-TR");

        job.Start(clock.GetUtcNow());
        await db.SaveChangesAsync(stopping);
        var live = progress.Begin(job.Id, job.TotalRows);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping, live.Cancel.Token);
        var errors = new List<ImportRowError>();
        ImportStatus status;
        string? message = null;
        try
        {
            (status, message) = await GoThroughAsync(job, organization.BaseCurrency, live, errors, cancel.Token);
        }
        catch (OperationCanceledException) when (live.Cancel.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            status = ImportStatus.Cancelled;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            status = ImportStatus.Interrupted;
        }
        catch (ImportFileException e)
        {
            status = ImportStatus.Failed;
            message = RuleMessages.For(l, e.ToRule());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, the transaction rolled back: the job must say so rather than stay "running".
            log.LogError(e, "Import {JobId} could not be saved", job.Id);
            status = ImportStatus.Failed;
            message = l["Rule.import.save-failed"].Value;
        }
        finally
        {
            progress.End(job.Id);
        }

        if (status != ImportStatus.Imported)
        {
            await RecordAsync(job.Id, status, live.Counts, message, errors, CancellationToken.None);
        }
    }

    private async Task<(ImportStatus, string?)> GoThroughAsync(ImportJob job, string baseCurrency, ImportProgress.Live live, List<ImportRowError> errors, CancellationToken ct)
    {
        var path = Path.Combine(limits.Folder, job.StoredName);
        var (header, lines) = ImportFile.Open(path, job.Format, job.Encoding, job.Delimiter, limits);
        var mapping = new ImportMapping(header, job.MappingList, job.NumberFormat);
        var users = await ImportCommands.UsersByEmailAsync(db, ct);
        var context = new ImportContext(db, me, clock.GetUtcNow(), job.Mode, l, users, baseCurrency, ImportContext.MatchesOnExternalId(job.MappingList));
        var rules = ImportRules.For(job.Target, context);
        var seen = new SeenKeys();
        var stopOnError = !job.DryRun && job.OnError == ImportErrorPolicy.StopOnFirstError;
        var jobId = job.Id;

        db.ChangeTracker.Clear();
        await using var connection = await BulkInsert.OpenForLongWriteAsync(db, SqliteCacheMiB, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await AllBatchesAsync(lines, mapping, rules, seen, job, live, errors, stopOnError, ct))
        {
            return (ImportStatus.Failed, null);
        }

        if (job.DryRun)
        {
            return (ImportStatus.Checked, null);
        }

        // The rows, the job's result and its errors commit together: there is no moment when the rows are in and the job does not say so.
        var saved = await db.ImportJobs.FirstAsync(j => j.Id == jobId, ct);
        saved.Finish(ImportStatus.Imported, live.Counts, null, clock.GetUtcNow());
        db.ImportRowErrors.AddRange(errors);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(CancellationToken.None);
        return (ImportStatus.Imported, null);
    }

    /// <summary>
    /// Reads, checks and applies the file a batch at a time; false when a failing row stops the import. Meanwhile the
    /// context does not look for changes by itself: <see cref="BulkInsert.SaveAsync"/> asks for them once per batch,
    /// which finds what the rows changed. Left on, every look at the tracked entries (the bulk save's, the audit's, one
    /// per record re-attached) compared each of the batch's ~10 000 tracked rows (the contacts, then their audit entries
    /// and search words) with its snapshot again: a third of a batch's time on PostgreSQL, more than the COPY itself.
    /// </summary>
    private async Task<bool> AllBatchesAsync(
        IEnumerable<ImportLine> lines, ImportMapping mapping, ImportRules rules, SeenKeys seen, ImportJob job, ImportProgress.Live live,
        List<ImportRowError> errors, bool stopOnError, CancellationToken ct)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var batch = new List<ImportRow>(BatchSize);
            foreach (var line in lines)
            {
                var row = new ImportRow(line, mapping, l);
                if (rules.KeyOf(row) is { } key && seen.FirstLineOf(rules.RepeatForm(key), row.Line) is { } first)
                {
                    row.Fail(rules.KeyField, string.Format(CultureInfo.CurrentCulture, l["Import.Error.KeyRepeated"].Value, key, first), "import.key-repeated");
                }

                batch.Add(row);
                if (batch.Count == BatchSize && !await BatchAsync(rules, batch, job, live, errors, stopOnError, ct))
                {
                    return false;
                }
            }

            return batch.Count == 0 || await BatchAsync(rules, batch, job, live, errors, stopOnError, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>Checks and applies one batch; saves it unless this is a dry run. False when a failing row stops the import.</summary>
    private async Task<bool> BatchAsync(ImportRules rules, List<ImportRow> batch, ImportJob job, ImportProgress.Live live, List<ImportRowError> errors, bool stopOnError, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var ready = batch.Where(r => !r.Failed).ToList();
        var (created, updated) = await rules.ApplyAsync(ready, ct);
        var failed = batch.Where(r => r.Failed).ToList();
        foreach (var row in failed)
        {
            foreach (var problem in row.Problems)
            {
                if (errors.Count < MaxStoredErrors)
                {
                    errors.Add(new ImportRowError(job.OrganizationId, job.Id, row.Line, problem.Column, problem.Message, problem.Code));
                }
            }
        }

        if (stopOnError && failed.Count > 0)
        {
            live.Add(batch.Count, failed.Count, 0, 0);
            return false;
        }

        if (!job.DryRun)
        {
            await bulk.SaveAsync(ct); // the same rows SaveChanges would write (audit, search words, history), in the fast way
        }

        db.ChangeTracker.Clear();
        live.Add(batch.Count, failed.Count, created, updated);
        batch.Clear();
        return true;
    }

    /// <summary>Records how a run ended that wrote nothing (its transaction rolled back): status, counts and the rows' errors.</summary>
    private async Task RecordAsync(Guid jobId, ImportStatus status, ImportCounts counts, string? message, List<ImportRowError> errors, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var job = await db.ImportJobs.FirstAsync(j => j.Id == jobId, ct);
        // A dry run reports what an import would create and change; a run that stopped created and changed nothing.
        job.Finish(status, status == ImportStatus.Checked ? counts : counts with { Created = 0, Updated = 0 }, message, clock.GetUtcNow());
        db.ImportRowErrors.AddRange(errors);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// The keys a run has met, each with the line it was first on, compared in the form the rules give
/// (<see cref="ImportRules.RepeatForm"/>: an external id as written, an own key ignoring case). A key is held as a
/// 128-bit digest, not as the string: a million e-mails take ~40 MB instead of ~130 MB, and two different keys sharing a
/// digest is out of reach (2⁻¹²⁸ per pair).
/// </summary>
internal sealed class SeenKeys
{
    private readonly Dictionary<UInt128, int> _firstLines = [];

    /// <summary>Null the first time <paramref name="key"/> is met (it is noted at <paramref name="line"/>); else the line it was first on.</summary>
    public int? FirstLineOf(string key, int line)
    {
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), digest);
        var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest);
        return _firstLines.TryAdd(id, line) ? null : _firstLines[id];
    }
}
