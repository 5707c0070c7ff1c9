using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>
/// How long each state of a deal held: an event's <see cref="OpportunityEvent.Until"/> is the moment of the deal's next
/// event (events ordered by moment, then <see cref="OpportunityEvent.Sequence"/>, then id), null for the deal's current
/// state. So the deal as it stood at T is the one event with <c>At &lt;= T &lt; Until</c> (or <c>Until</c> null) — a range
/// test, not a search for the newest event before T.
/// <para>
/// The database keeps it, for every writer (saves, bulk imports, the history rebuild): a trigger on each new event
/// ends its predecessor's span at the new event's moment and gives the new event the span up to its successor (none
/// when it is the newest, the usual case). The migration <c>EventValidity</c> creates the trigger from <see cref="Trigger"/>
/// and fills existing history with <see cref="Recompute"/>; change either only together with a new migration.
/// </para>
/// </summary>
public static class EventValidity
{
    private const string Predecessor = """
        SELECT p."Id" FROM "OpportunityEvents" AS p
        WHERE p."OpportunityId" = NEW."OpportunityId" AND (p."At", p."Sequence", p."Id") < (NEW."At", NEW."Sequence", NEW."Id")
        ORDER BY p."At" DESC, p."Sequence" DESC, p."Id" DESC LIMIT 1
        """;

    private const string Successor = """
        SELECT n."At" FROM "OpportunityEvents" AS n
        WHERE n."OpportunityId" = NEW."OpportunityId" AND (n."At", n."Sequence", n."Id") > (NEW."At", NEW."Sequence", NEW."Id")
        ORDER BY n."At", n."Sequence", n."Id" LIMIT 1
        """;

    /// <summary>The trigger's SQL for one provider.</summary>
    public static string Trigger(bool postgres) => postgres
        ? $"""
            CREATE FUNCTION "OpportunityEvents_Validity"() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE following timestamp with time zone;
            BEGIN
                UPDATE "OpportunityEvents" SET "Until" = NEW."At" WHERE "Id" = ({Predecessor});
                following := ({Successor});
                IF following IS DISTINCT FROM NEW."Until" THEN
                    UPDATE "OpportunityEvents" SET "Until" = following WHERE "Id" = NEW."Id";
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER "OpportunityEvents_Validity" AFTER INSERT ON "OpportunityEvents"
                FOR EACH ROW EXECUTE FUNCTION "OpportunityEvents_Validity"();
            """
        : $"""
            CREATE TRIGGER "OpportunityEvents_Validity" AFTER INSERT ON "OpportunityEvents" FOR EACH ROW
            BEGIN
                UPDATE "OpportunityEvents" SET "Until" = NEW."At" WHERE "Id" = ({Predecessor});
                UPDATE "OpportunityEvents" SET "Until" = ({Successor}) WHERE "Id" = NEW."Id" AND "Until" IS NOT ({Successor});
            END;
            """;

    /// <summary>Drops the trigger (the migration's way back).</summary>
    public static string DropTrigger(bool postgres) => postgres
        ? """DROP TRIGGER "OpportunityEvents_Validity" ON "OpportunityEvents"; DROP FUNCTION "OpportunityEvents_Validity"();"""
        : """DROP TRIGGER "OpportunityEvents_Validity";""";

    /// <summary>Every event's span from the whole history at once (existing data; after the history rebuild restamps events).</summary>
    public static string Recompute(bool postgres) => $"""
        UPDATE "OpportunityEvents" SET "Until" = n."Next"
        FROM (SELECT "Id", LEAD("At") OVER (PARTITION BY "OpportunityId" ORDER BY "At", "Sequence", "Id") AS "Next" FROM "OpportunityEvents") AS n
        WHERE "OpportunityEvents"."Id" = n."Id" AND "OpportunityEvents"."Until" {(postgres ? "IS DISTINCT FROM" : "IS NOT")} n."Next"
        """;

    public static Task RecomputeAsync(KazanDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(Recompute(db.Database.IsNpgsql()), ct);
}
