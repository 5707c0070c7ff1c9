using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Data;

/// <summary>A record that may carry its id in the company's old system: accounts, contacts, products and deals.</summary>
public interface IHasExternalId
{
    Guid Id { get; }

    string? ExternalId { get; }
}

/// <summary>
/// What a caller that sets the external id sends (the API's requests, the import's rows). A form that does not carry
/// it leaves the record's external id as it is.
/// </summary>
public interface IExternalIdField
{
    string? ExternalId { get; }
}

/// <summary>
/// The external id: trimmed, empty is none, at most 100 characters, and unique in the organization when set (a
/// filtered unique index backs the check). Compared as written (case-sensitive), as the old system wrote it and as both
/// databases' unique index compares it: "A-1" and "a-1" are two ids. <see cref="Normalize"/> is the one place a value
/// becomes the form stored, looked up and compared — by the API, the forms and the import (its in-file repeat check too).
/// </summary>
public static class ExternalIds
{
    /// <summary>The field an external id error names (API and forms).</summary>
    public const string Field = "externalId";

    /// <summary>The code of "another record has this external id", found by the check or, past it, by the unique index.</summary>
    public const string TakenCode = "external-id.taken";

    public const int MaxLength = 100;

    /// <summary>How two external ids compare once normalized: ordinal, case-sensitive (the unique index's rule).</summary>
    public static StringComparer Comparer => StringComparer.Ordinal;

    /// <summary>The value as stored and compared: trimmed, null when blank; its case kept.</summary>
    public static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The value as stored (<see cref="Normalize"/>); longer than <see cref="MaxLength"/> is refused.</summary>
    public static string? Clean(string? value)
    {
        var id = Normalize(value);
        return id is { Length: > MaxLength }
            ? throw new DomainRuleException($"An external id is at most {MaxLength} characters.", "external-id.length", MaxLength)
            : id;
    }

    /// <summary>The check of <see cref="CheckAsync{T}(IQueryable{T}, string?, Guid?, CancellationToken)"/> for fields that carry an external id; none for those that do not.</summary>
    public static Task<Failure?> CheckAsync<T>(IQueryable<T> records, object fields, Guid? self, CancellationToken ct)
        where T : class, IHasExternalId =>
        fields is IExternalIdField given ? CheckAsync(records, given.ExternalId, self, ct) : Task.FromResult<Failure?>(null);

    /// <summary>
    /// Why <paramref name="value"/> cannot be the external id of record <paramref name="self"/> (null for a new one):
    /// too long, or another record of <paramref name="records"/> has it. <paramref name="records"/> must see the whole
    /// organization (the owner filter lifted): a rep's record may not take an id a colleague's record holds.
    /// </summary>
    public static async Task<Failure?> CheckAsync<T>(IQueryable<T> records, string? value, Guid? self, CancellationToken ct)
        where T : class, IHasExternalId
    {
        var id = Normalize(value);
        if (id is null)
        {
            return null;
        }

        if (id.Length > MaxLength)
        {
            return Outcome.Invalid(Field, $"An external id is at most {MaxLength} characters.", "external-id.length");
        }

        return await records.AnyAsync(r => EF.Property<string?>(r, nameof(IHasExternalId.ExternalId)) == id && EF.Property<Guid>(r, nameof(IHasExternalId.Id)) != self, ct)
            ? Outcome.Invalid(Field, $"Another record of the organization already has the external id '{id}'.", TakenCode)
            : null;
    }
}
