namespace Practitioners.Web.Data.Sql;

/// <summary>
/// The outbox sender's claim: one conditional UPDATE takes a batch of due messages, so two senders never take the
/// same row. SQLite has one writer at a time, so the statement is atomic as it stands; PostgreSQL needs the row
/// locks (SKIP LOCKED lets a second sender take the next batch instead of waiting) and the state re-checked.
/// Parameters: {0} claim token, {1} now, {2} batch size.
/// </summary>
public static class OutboxSql
{
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static string ClaimDue(string? provider) => provider switch
    {
        Sqlite => """
            UPDATE "OutboxMessages"
            SET "State" = 'Sending', "ClaimToken" = {0}, "ClaimedAt" = {1}, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (
                SELECT "Id" FROM "OutboxMessages"
                WHERE "State" = 'Pending' AND "DueAt" <= {1}
                ORDER BY "DueAt", "Id"
                LIMIT {2})
            """,
        // The batch is chosen once, in a CTE: as "Id" IN (subquery), PostgreSQL may run a LIMIT ... SKIP LOCKED
        // subquery again per row and claim more than the batch.
        Npgsql => """
            WITH due AS (
                SELECT "Id" FROM "OutboxMessages"
                WHERE "State" = 'Pending' AND "DueAt" <= {1}
                ORDER BY "DueAt", "Id"
                LIMIT {2}
                FOR UPDATE SKIP LOCKED)
            UPDATE "OutboxMessages" AS m
            SET "State" = 'Sending', "ClaimToken" = {0}, "ClaimedAt" = {1}, "Attempts" = m."Attempts" + 1
            FROM due
            WHERE m."Id" = due."Id" AND m."State" = 'Pending'
            """,
        _ => throw new NotSupportedException($"No outbox claim for provider {provider}."),
    };
}
