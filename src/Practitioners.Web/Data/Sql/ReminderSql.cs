namespace Practitioners.Web.Data.Sql;

/// <summary>
/// The reminder planner's statements: each plans one offset of one credential type for every certificate whose
/// expiry falls in a window, as a range on the ExpiresAt index, and lets the unique index drop what was planned
/// before (ON CONFLICT DO NOTHING), so a second or overlapping run adds nothing. The same text runs on SQLite
/// (3.24+) and PostgreSQL; the claim differs, as PostgreSQL needs row locks for two renderers at once.
/// </summary>
public static class ReminderSql
{
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>{0} track, {1} offset, {2} window start (inclusive), {3} window end (exclusive), {4} now.</summary>
    public static string PlanForHolders(string? provider) => Supported(provider, """
        INSERT INTO "Reminders" ("CertificateId", "RecipientId", "Audience", "Offset", "ExpiresAt", "PlannedAt")
        SELECT c."Id", c."UserId", 'Holder', {1}, c."ExpiresAt", {4}
        FROM "Certificates" AS c
        WHERE c."ExpiresAt" >= {2} AND c."ExpiresAt" < {3}
          AND c."Track" = {0} AND c."RevokedAt" IS NULL AND c."SuspendedAt" IS NULL
        ON CONFLICT DO NOTHING
        """);

    /// <summary>As <see cref="PlanForHolders"/>, one row per manager of the community or of its street.</summary>
    public static string PlanForManagers(string? provider) => Supported(provider, """
        INSERT INTO "Reminders" ("CertificateId", "RecipientId", "Audience", "Offset", "ExpiresAt", "PlannedAt")
        SELECT DISTINCT c."Id", m."UserId", 'Manager', {1}, c."ExpiresAt", {4}
        FROM "Certificates" AS c
        JOIN "Communities" AS k ON k."Id" = c."CommunityId"
        JOIN "ManagerAssignments" AS m ON m."CommunityId" = c."CommunityId" OR m."StreetId" = k."StreetId"
        WHERE c."ExpiresAt" >= {2} AND c."ExpiresAt" < {3}
          AND c."Track" = {0} AND c."RevokedAt" IS NULL AND c."SuspendedAt" IS NULL
        ON CONFLICT DO NOTHING
        """);

    /// <summary>The next batch of planned reminders to render; {0} batch size. Runs inside the render transaction.</summary>
    public static string ClaimUnrendered(string? provider) => provider switch
    {
        Sqlite => """
            SELECT "Id" AS "Value" FROM "Reminders" WHERE "RenderedAt" IS NULL ORDER BY "Id" LIMIT {0}
            """,
        Npgsql => """
            SELECT "Id" AS "Value" FROM "Reminders" WHERE "RenderedAt" IS NULL ORDER BY "Id" LIMIT {0} FOR UPDATE SKIP LOCKED
            """,
        _ => throw new NotSupportedException($"No reminder SQL for provider {provider}."),
    };

    /// <summary>
    /// Pending reminder emails whose certificate was renewed, suspended or revoked since they were planned are
    /// cancelled; {0} the note recorded as their last error.
    /// </summary>
    public static string CancelStale(string? provider) => Supported(provider, """
        UPDATE "OutboxMessages" SET "State" = 'Cancelled', "LastError" = {0}
        WHERE "State" = 'Pending' AND "ReminderId" IS NOT NULL
          AND EXISTS (
            SELECT 1 FROM "Reminders" AS r JOIN "Certificates" AS c ON c."Id" = r."CertificateId"
            WHERE r."Id" = "OutboxMessages"."ReminderId"
              AND (c."ExpiresAt" <> r."ExpiresAt" OR c."RevokedAt" IS NOT NULL OR c."SuspendedAt" IS NOT NULL))
        """);

    private static string Supported(string? provider, string sql) => provider is Sqlite or Npgsql
        ? sql
        : throw new NotSupportedException($"No reminder SQL for provider {provider}.");
}
