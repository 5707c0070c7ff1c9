using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.ApiTokens;
using Kazan.Features.Contacts;
using Kazan.Features.Notifications;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Search;
using Kazan.Features.Targets;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// The one DbContext. Provider-specific subclasses (<see cref="SqliteKazanDbContext"/>, <see cref="PostgresKazanDbContext"/>)
/// exist only so each provider has its own migration set.
/// Every tenant entity gets two named query filters: <c>Tenant</c> (the caller's organization) and, for owned records,
/// <c>Owner</c> (reps see their own records unless the organization lets them see all); notifications have a third,
/// <c>Recipient</c> (the caller's own only).
/// </summary>
public abstract class KazanDbContext(DbContextOptions options, CurrentUser actor)
    : IdentityUserContext<User, Guid>(options), IDataProtectionKeyContext
{
    public const string TenantFilter = "Tenant";
    public const string OwnerFilter = "Owner";
    public const string RecipientFilter = "Recipient";

    /// <summary>The caller. Query filters and the audit interceptor read it.</summary>
    public CurrentUser Actor { get; } = actor;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<LostReason> LostReasons => Set<LostReason>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<OpportunityEvent> OpportunityEvents => Set<OpportunityEvent>();
    public DbSet<BoardTotal> BoardTotals => Set<BoardTotal>();
    public DbSet<OpportunityContact> OpportunityContacts => Set<OpportunityContact>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<ActivityContact> ActivityContacts => Set<ActivityContact>();
    public DbSet<SearchEntry> SearchEntries => Set<SearchEntry>();
    public DbSet<SavedFilter> SavedFilters => Set<SavedFilter>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<QuoteLine> QuoteLines => Set<QuoteLine>();
    public DbSet<QuoteDocument> QuoteDocuments => Set<QuoteDocument>();
    public DbSet<QuoteLink> QuoteLinks => Set<QuoteLink>();
    public DbSet<DocumentSequence> DocumentSequences => Set<DocumentSequence>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryLine> DeliveryLines => Set<DeliveryLine>();
    public DbSet<SalesTarget> SalesTargets => Set<SalesTarget>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Features.Import.ImportJob> ImportJobs => Set<Features.Import.ImportJob>();
    public DbSet<Features.Import.ImportRowError> ImportRowErrors => Set<Features.Import.ImportRowError>();
    public DbSet<Features.Import.ImportMappingMemory> ImportMappings => Set<Features.Import.ImportMappingMemory>();

    // Read by the query filters; EF re-evaluates context members on every query.
    private Guid? FilterOrganizationId => Actor.OrganizationId;
    private Guid? FilterUserId => Actor.UserId;
    private bool FilterRestrictedToOwn => Actor.RestrictedToOwn;

    /// <summary>Makes the next SaveChanges update <paramref name="entity"/> only if its stored version is <paramref name="expectedVersion"/> (the client's ETag).</summary>
    public void ExpectVersion<T>(T entity, int expectedVersion) where T : class, IVersioned =>
        Entry(entity).Property(nameof(IVersioned.Version)).OriginalValue = expectedVersion;

    /// <summary>Users whose row or API tokens this context's saves changed, for the token cache to drop at commit (<see cref="Auth.ApiTokenCacheInterceptor"/>).</summary>
    public HashSet<Guid> CallersChanged { get; } = [];

    /// <summary>
    /// Saves as EF Core does, in a transaction when the save has more to do at its commit: the board totals of the open
    /// deals it changes (<see cref="Features.Opportunities.BoardTotals"/>), written in the same transaction, and the
    /// users or tokens it changes, whose cached tokens are dropped once it commits (<see cref="Auth.ApiTokenCache"/>).
    /// The save's own transaction when it has none, else the caller's.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var (totals, callers) = WhatTheCommitMustDo();
        if (totals.Count == 0 && callers.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        CallersChanged.UnionWith(callers);
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await Features.Opportunities.BoardTotals.ApplyAsync(this, totals, cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return saved;
    }

    /// <inheritdoc cref="SaveChangesAsync(bool, CancellationToken)"/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        WhatTheCommitMustDo() is { Totals.Count: 0, Callers.Count: 0 }
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new InvalidOperationException("Deals, users and tokens are saved with SaveChangesAsync (what their commit must also do is done there).");

    /// <summary>The board totals and the cached callers the tracked changes touch, read after one pass of change detection (not one per read).</summary>
    private (List<Features.Opportunities.BoardTotals.Change> Totals, List<Guid> Callers) WhatTheCommitMustDo()
    {
        var auto = ChangeTracker.AutoDetectChangesEnabled;
        if (auto)
        {
            ChangeTracker.DetectChanges();
        }

        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return (Features.Opportunities.BoardTotals.Pending(this), Auth.ApiTokenCache.Changed(this).ToList());
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KazanDbContext).Assembly);

        builder.Entity<User>().ToTable("Users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("UserTokens");

        foreach (var entityType in builder.Model.GetEntityTypes().ToList())
        {
            var clr = entityType.ClrType;
            if (typeof(IVersioned).IsAssignableFrom(clr))
            {
                builder.Entity(clr).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
            }

            if (clr == typeof(User))
            {
                continue; // filtered below: sign-in must find a user before any organization is known
            }

            if (typeof(IOwnedEntity).IsAssignableFrom(clr))
            {
                typeof(KazanDbContext).GetMethod(nameof(ApplyOwnerFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                    .MakeGenericMethod(clr).Invoke(this, [builder]);
            }

            if (typeof(ITenantEntity).IsAssignableFrom(clr))
            {
                typeof(KazanDbContext).GetMethod(nameof(ApplyTenantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                    .MakeGenericMethod(clr).Invoke(this, [builder]);
            }
        }

        builder.Entity<Organization>().HasQueryFilter(TenantFilter, o => o.Id == FilterOrganizationId);

        // A notification is its recipient's alone: not another user's of the organization, not an admin's either.
        builder.Entity<Notification>().HasQueryFilter(RecipientFilter, n => n.RecipientId == FilterUserId);

        // Anonymous requests (sign-in, invitation) have no organization; Identity's stores must still find the user by e-mail.
        builder.Entity<User>().HasQueryFilter(TenantFilter, u => FilterOrganizationId == null || u.OrganizationId == FilterOrganizationId);
    }

    private void ApplyTenantFilter<T>(ModelBuilder builder) where T : class, ITenantEntity =>
        builder.Entity<T>().HasQueryFilter(TenantFilter, e => e.OrganizationId == FilterOrganizationId);

    private void ApplyOwnerFilter<T>(ModelBuilder builder) where T : class, IOwnedEntity =>
        builder.Entity<T>().HasQueryFilter(OwnerFilter, e => !FilterRestrictedToOwn || e.OwnerId == FilterUserId);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }

}
