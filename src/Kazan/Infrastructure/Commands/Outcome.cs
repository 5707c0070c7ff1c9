using System.Diagnostics.CodeAnalysis;
using Kazan.Infrastructure.Errors;

namespace Kazan.Infrastructure.Commands;

/// <summary>How a use case ended. The API turns it into a status code in one place, the pages into a form message in another.</summary>
public enum OutcomeStatus
{
    /// <summary>Done; the value is the record as saved.</summary>
    Ok,

    /// <summary>The record does not exist or the caller may not see it (the API never says which).</summary>
    NotFound,

    /// <summary>Fields the caller sent are wrong (400 with field errors).</summary>
    Invalid,

    /// <summary>A business rule said no (422 with the rule's code).</summary>
    RuleBroken,

    /// <summary>Someone else changed the record since the caller read it (412).</summary>
    Stale,

    /// <summary>The caller did not say which version it read (API only: 428).</summary>
    VersionMissing,
}

/// <summary>
/// The result of one use case: a value when it succeeded, else why not. Every command returns one; nothing a user can
/// cause is thrown past the command (<see cref="UseCase"/> catches the rule, race and duplicate failures).
/// </summary>
public readonly record struct Outcome<T>
{
    private Outcome(OutcomeStatus status, T? value, Failure failure)
    {
        Status = status;
        Value = value;
        What = failure.What;
        Errors = failure.Errors;
        Codes = failure.Codes;
        Rule = failure.Rule;
    }

    public OutcomeStatus Status { get; }

    /// <summary>The record when <see cref="Status"/> is Ok.</summary>
    public T? Value { get; }

    /// <summary>What was not found ("Quote").</summary>
    public string? What { get; }

    /// <summary>Field errors (field name → messages) when Invalid.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    /// <summary>Stable codes of the field errors (field → code, e.g. "account.name-required"), for the pages' translations.</summary>
    public IReadOnlyDictionary<string, string>? Codes { get; }

    /// <summary>The broken rule when RuleBroken.</summary>
    public DomainRuleException? Rule { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsOk => Status == OutcomeStatus.Ok;

    public static implicit operator Outcome<T>(T value) => new(OutcomeStatus.Ok, value, default);

    public static implicit operator Outcome<T>(Failure failure) => new(failure.Status, default, failure);

    /// <summary>The same failure for a use case of another result type (a command that calls another).</summary>
    public Failure AsFailure() => IsOk
        ? throw new InvalidOperationException("A successful outcome is not a failure.")
        : new Failure(Status, What, Errors, Rule, Codes);

    /// <summary>Maps the value of a successful outcome; failures pass through.</summary>
    public Outcome<TNext> Map<TNext>(Func<T, TNext> map) => IsOk ? map(Value!) : AsFailure();
}

/// <summary>A failed outcome of any result type: <c>return Outcome.NotFound("Quote");</c> in a command returning <c>Outcome&lt;Quote&gt;</c>.</summary>
public readonly record struct Failure(
    OutcomeStatus Status, string? What, IReadOnlyDictionary<string, string[]>? Errors, DomainRuleException? Rule, IReadOnlyDictionary<string, string>? Codes = null);

public static class Outcome
{
    public static Failure NotFound(string what) => new(OutcomeStatus.NotFound, what, null, null);

    /// <summary>One wrong field; <paramref name="code"/> lets the pages show the message in the user's language (resource "Rule.{code}").</summary>
    public static Failure Invalid(string field, string message, string? code = null) => new(
        OutcomeStatus.Invalid, null, new Dictionary<string, string[]> { [field] = [message] }, null,
        code is null ? null : new Dictionary<string, string> { [field] = code });

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeStatus.Invalid, null, errors, null);

    public static Failure Broken(DomainRuleException rule) => new(OutcomeStatus.RuleBroken, null, null, rule);

    public static Failure Broken(string message, string code) => Broken(new DomainRuleException(message, code));

    public static Failure Stale() => new(OutcomeStatus.Stale, null, null, null);

    public static Failure VersionMissing() => new(OutcomeStatus.VersionMissing, null, null, null);
}
