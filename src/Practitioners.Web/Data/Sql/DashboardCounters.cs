namespace Practitioners.Web.Data.Sql;

/// <summary>
/// Triggers that keep the dashboard's counters (CertificateExpiryCounts, AdmissionStateCounts) in step with
/// Certificates and Admissions, and the statements that fill them from existing rows. Provider-specific SQL lives here.
/// </summary>
public static class DashboardCounters
{
    private const string Standing = """CASE WHEN {0}."RevokedAt" IS NOT NULL THEN 'Revoked' WHEN {0}."SuspendedAt" IS NOT NULL THEN 'Suspended' ELSE 'Active' END""";

    public static string Create(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => $$"""
            CREATE TRIGGER "Certificates_Counts_Insert" AFTER INSERT ON "Certificates" BEGIN
              INSERT INTO "CertificateExpiryCounts" ("CommunityId", "Track", "ExpiresOn", "Standing", "Count")
              VALUES (NEW."CommunityId", NEW."Track", date(NEW."ExpiresAt"), {{string.Format(Standing, "NEW")}}, 1)
              ON CONFLICT ("CommunityId", "Track", "ExpiresOn", "Standing") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Certificates_Counts_Update" AFTER UPDATE OF "CommunityId", "Track", "ExpiresAt", "SuspendedAt", "RevokedAt" ON "Certificates" BEGIN
              UPDATE "CertificateExpiryCounts" SET "Count" = "Count" - 1
              WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "ExpiresOn" = date(OLD."ExpiresAt") AND "Standing" = {{string.Format(Standing, "OLD")}};
              INSERT INTO "CertificateExpiryCounts" ("CommunityId", "Track", "ExpiresOn", "Standing", "Count")
              VALUES (NEW."CommunityId", NEW."Track", date(NEW."ExpiresAt"), {{string.Format(Standing, "NEW")}}, 1)
              ON CONFLICT ("CommunityId", "Track", "ExpiresOn", "Standing") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Certificates_Counts_Delete" AFTER DELETE ON "Certificates" BEGIN
              UPDATE "CertificateExpiryCounts" SET "Count" = "Count" - 1
              WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "ExpiresOn" = date(OLD."ExpiresAt") AND "Standing" = {{string.Format(Standing, "OLD")}};
            END;
            CREATE TRIGGER "Admissions_Counts_Insert" AFTER INSERT ON "Admissions" BEGIN
              INSERT INTO "AdmissionStateCounts" ("CommunityId", "State", "Count") VALUES (NEW."CommunityId", NEW."State", 1)
              ON CONFLICT ("CommunityId", "State") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Admissions_Counts_Update" AFTER UPDATE OF "CommunityId", "State" ON "Admissions" BEGIN
              UPDATE "AdmissionStateCounts" SET "Count" = "Count" - 1 WHERE "CommunityId" = OLD."CommunityId" AND "State" = OLD."State";
              INSERT INTO "AdmissionStateCounts" ("CommunityId", "State", "Count") VALUES (NEW."CommunityId", NEW."State", 1)
              ON CONFLICT ("CommunityId", "State") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Admissions_Counts_Delete" AFTER DELETE ON "Admissions" BEGIN
              UPDATE "AdmissionStateCounts" SET "Count" = "Count" - 1 WHERE "CommunityId" = OLD."CommunityId" AND "State" = OLD."State";
            END;
            INSERT INTO "CertificateExpiryCounts" ("CommunityId", "Track", "ExpiresOn", "Standing", "Count")
            SELECT c."CommunityId", c."Track", date(c."ExpiresAt"), {{string.Format(Standing, "c")}}, count(*) FROM "Certificates" c
            GROUP BY c."CommunityId", c."Track", date(c."ExpiresAt"), {{string.Format(Standing, "c")}};
            INSERT INTO "AdmissionStateCounts" ("CommunityId", "State", "Count")
            SELECT "CommunityId", "State", count(*) FROM "Admissions" GROUP BY "CommunityId", "State";
            """,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => $$"""
            CREATE OR REPLACE FUNCTION certificate_counts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE "CertificateExpiryCounts" SET "Count" = "Count" - 1
                WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "ExpiresOn" = (OLD."ExpiresAt" AT TIME ZONE 'UTC')::date AND "Standing" = {{string.Format(Standing, "OLD")}};
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO "CertificateExpiryCounts" ("CommunityId", "Track", "ExpiresOn", "Standing", "Count")
                VALUES (NEW."CommunityId", NEW."Track", (NEW."ExpiresAt" AT TIME ZONE 'UTC')::date, {{string.Format(Standing, "NEW")}}, 1)
                ON CONFLICT ("CommunityId", "Track", "ExpiresOn", "Standing") DO UPDATE SET "Count" = "CertificateExpiryCounts"."Count" + 1;
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER "Certificates_Counts" AFTER INSERT OR DELETE OR UPDATE OF "CommunityId", "Track", "ExpiresAt", "SuspendedAt", "RevokedAt"
              ON "Certificates" FOR EACH ROW EXECUTE FUNCTION certificate_counts();
            CREATE OR REPLACE FUNCTION admission_counts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE "AdmissionStateCounts" SET "Count" = "Count" - 1 WHERE "CommunityId" = OLD."CommunityId" AND "State" = OLD."State";
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO "AdmissionStateCounts" ("CommunityId", "State", "Count") VALUES (NEW."CommunityId", NEW."State", 1)
                ON CONFLICT ("CommunityId", "State") DO UPDATE SET "Count" = "AdmissionStateCounts"."Count" + 1;
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER "Admissions_Counts" AFTER INSERT OR DELETE OR UPDATE OF "CommunityId", "State"
              ON "Admissions" FOR EACH ROW EXECUTE FUNCTION admission_counts();
            INSERT INTO "CertificateExpiryCounts" ("CommunityId", "Track", "ExpiresOn", "Standing", "Count")
            SELECT c."CommunityId", c."Track", (c."ExpiresAt" AT TIME ZONE 'UTC')::date, {{string.Format(Standing, "c")}}, count(*) FROM "Certificates" c
            GROUP BY 1, 2, 3, 4;
            INSERT INTO "AdmissionStateCounts" ("CommunityId", "State", "Count")
            SELECT "CommunityId", "State", count(*) FROM "Admissions" GROUP BY 1, 2;
            """,
        _ => throw new NotSupportedException($"No dashboard counters for provider {provider}."),
    };

    public static string Drop(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => """
            DROP TRIGGER IF EXISTS "Certificates_Counts_Insert"; DROP TRIGGER IF EXISTS "Certificates_Counts_Update"; DROP TRIGGER IF EXISTS "Certificates_Counts_Delete";
            DROP TRIGGER IF EXISTS "Admissions_Counts_Insert"; DROP TRIGGER IF EXISTS "Admissions_Counts_Update"; DROP TRIGGER IF EXISTS "Admissions_Counts_Delete";
            """,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => """
            DROP TRIGGER IF EXISTS "Certificates_Counts" ON "Certificates"; DROP TRIGGER IF EXISTS "Admissions_Counts" ON "Admissions";
            """,
        _ => throw new NotSupportedException($"No dashboard counters for provider {provider}."),
    };

    /// <summary>
    /// The second set of counters: certificates by expiry month (so the status figures and the twelve-month chart sum a
    /// few hundred rows, with day rows read only for the months cut by today, the renewal windows and the year ahead),
    /// and training passes per community and module (people with a live admission in the community who passed it).
    /// </summary>
    public static string CreateMonthsAndTraining(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => $$"""
            CREATE TRIGGER "Certificates_Months_Insert" AFTER INSERT ON "Certificates" BEGIN
              INSERT INTO "CertificateExpiryMonths" ("CommunityId", "Track", "Month", "Standing", "Count")
              VALUES (NEW."CommunityId", NEW."Track", date(NEW."ExpiresAt", 'start of month'), {{string.Format(Standing, "NEW")}}, 1)
              ON CONFLICT ("CommunityId", "Track", "Month", "Standing") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Certificates_Months_Update" AFTER UPDATE OF "CommunityId", "Track", "ExpiresAt", "SuspendedAt", "RevokedAt" ON "Certificates" BEGIN
              UPDATE "CertificateExpiryMonths" SET "Count" = "Count" - 1
              WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "Month" = date(OLD."ExpiresAt", 'start of month') AND "Standing" = {{string.Format(Standing, "OLD")}};
              INSERT INTO "CertificateExpiryMonths" ("CommunityId", "Track", "Month", "Standing", "Count")
              VALUES (NEW."CommunityId", NEW."Track", date(NEW."ExpiresAt", 'start of month'), {{string.Format(Standing, "NEW")}}, 1)
              ON CONFLICT ("CommunityId", "Track", "Month", "Standing") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Certificates_Months_Delete" AFTER DELETE ON "Certificates" BEGIN
              UPDATE "CertificateExpiryMonths" SET "Count" = "Count" - 1
              WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "Month" = date(OLD."ExpiresAt", 'start of month') AND "Standing" = {{string.Format(Standing, "OLD")}};
            END;
            CREATE TRIGGER "ModuleCompletions_Passes_Insert" AFTER INSERT ON "ModuleCompletions"
            WHEN NOT EXISTS (SELECT 1 FROM "ModuleCompletions" m WHERE m."UserId" = NEW."UserId" AND m."ModuleId" = NEW."ModuleId" AND m."Id" <> NEW."Id")
            BEGIN
              INSERT INTO "TrainingPassCounts" ("CommunityId", "ModuleId", "Count")
              SELECT DISTINCT a."CommunityId", NEW."ModuleId", 1 FROM "Admissions" a WHERE a."UserId" = NEW."UserId" AND a."State" <> 'Withdrawn'
              ON CONFLICT ("CommunityId", "ModuleId") DO UPDATE SET "Count" = "Count" + 1;
            END;
            CREATE TRIGGER "Admissions_Passes_Insert" AFTER INSERT ON "Admissions"
            WHEN NEW."State" <> 'Withdrawn' AND NOT EXISTS ({{OtherLive("NEW")}})
            BEGIN
              {{JoinCommunity("NEW")}}
            END;
            CREATE TRIGGER "Admissions_Passes_Leave" AFTER UPDATE OF "State", "CommunityId" ON "Admissions"
            WHEN OLD."State" <> 'Withdrawn' AND (NEW."State" = 'Withdrawn' OR NEW."CommunityId" <> OLD."CommunityId") AND NOT EXISTS ({{OtherLive("OLD")}})
            BEGIN
              {{LeaveCommunity("OLD")}}
            END;
            CREATE TRIGGER "Admissions_Passes_Join" AFTER UPDATE OF "State", "CommunityId" ON "Admissions"
            WHEN NEW."State" <> 'Withdrawn' AND (OLD."State" = 'Withdrawn' OR NEW."CommunityId" <> OLD."CommunityId") AND NOT EXISTS ({{OtherLive("NEW")}})
            BEGIN
              {{JoinCommunity("NEW")}}
            END;
            CREATE TRIGGER "Admissions_Passes_Delete" AFTER DELETE ON "Admissions"
            WHEN OLD."State" <> 'Withdrawn' AND NOT EXISTS ({{OtherLive("OLD")}})
            BEGIN
              {{LeaveCommunity("OLD")}}
            END;
            {{FillMonthsAndTraining("date(c.\"ExpiresAt\", 'start of month')")}}
            """,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => $$"""
            CREATE OR REPLACE FUNCTION certificate_months() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE "CertificateExpiryMonths" SET "Count" = "Count" - 1
                WHERE "CommunityId" = OLD."CommunityId" AND "Track" = OLD."Track" AND "Month" = date_trunc('month', OLD."ExpiresAt")::date AND "Standing" = {{string.Format(Standing, "OLD")}};
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO "CertificateExpiryMonths" ("CommunityId", "Track", "Month", "Standing", "Count")
                VALUES (NEW."CommunityId", NEW."Track", date_trunc('month', NEW."ExpiresAt")::date, {{string.Format(Standing, "NEW")}}, 1)
                ON CONFLICT ("CommunityId", "Track", "Month", "Standing") DO UPDATE SET "Count" = "CertificateExpiryMonths"."Count" + 1;
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER "Certificates_Months" AFTER INSERT OR DELETE OR UPDATE OF "CommunityId", "Track", "ExpiresAt", "SuspendedAt", "RevokedAt"
              ON "Certificates" FOR EACH ROW EXECUTE FUNCTION certificate_months();
            CREATE OR REPLACE FUNCTION module_passes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM "ModuleCompletions" m WHERE m."UserId" = NEW."UserId" AND m."ModuleId" = NEW."ModuleId" AND m."Id" <> NEW."Id") THEN
                INSERT INTO "TrainingPassCounts" ("CommunityId", "ModuleId", "Count")
                SELECT DISTINCT a."CommunityId", NEW."ModuleId", 1 FROM "Admissions" a WHERE a."UserId" = NEW."UserId" AND a."State" <> 'Withdrawn'
                ON CONFLICT ("CommunityId", "ModuleId") DO UPDATE SET "Count" = "TrainingPassCounts"."Count" + 1;
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER "ModuleCompletions_Passes" AFTER INSERT ON "ModuleCompletions" FOR EACH ROW EXECUTE FUNCTION module_passes();
            CREATE OR REPLACE FUNCTION admission_passes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."State" <> 'Withdrawn'
                AND (TG_OP = 'DELETE' OR NEW."State" = 'Withdrawn' OR NEW."CommunityId" <> OLD."CommunityId")
                AND NOT EXISTS ({{OtherLive("OLD")}}) THEN
                {{LeaveCommunity("OLD")}}
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."State" <> 'Withdrawn'
                AND (TG_OP = 'INSERT' OR OLD."State" = 'Withdrawn' OR NEW."CommunityId" <> OLD."CommunityId")
                AND NOT EXISTS ({{OtherLive("NEW")}}) THEN
                {{JoinCommunity("NEW").Replace("\"Count\" + 1", "\"TrainingPassCounts\".\"Count\" + 1")}}
              END IF;
              RETURN NULL;
            END $$;
            CREATE TRIGGER "Admissions_Passes" AFTER INSERT OR DELETE OR UPDATE OF "CommunityId", "State"
              ON "Admissions" FOR EACH ROW EXECUTE FUNCTION admission_passes();
            {{FillMonthsAndTraining("date_trunc('month', c.\"ExpiresAt\")::date")}}
            """,
        _ => throw new NotSupportedException($"No dashboard counters for provider {provider}."),
    };

    public static string DropMonthsAndTraining(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => """
            DROP TRIGGER IF EXISTS "Certificates_Months_Insert"; DROP TRIGGER IF EXISTS "Certificates_Months_Update"; DROP TRIGGER IF EXISTS "Certificates_Months_Delete";
            DROP TRIGGER IF EXISTS "ModuleCompletions_Passes_Insert"; DROP TRIGGER IF EXISTS "Admissions_Passes_Insert"; DROP TRIGGER IF EXISTS "Admissions_Passes_Leave";
            DROP TRIGGER IF EXISTS "Admissions_Passes_Join"; DROP TRIGGER IF EXISTS "Admissions_Passes_Delete";
            """,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => """
            DROP TRIGGER IF EXISTS "Certificates_Months" ON "Certificates"; DROP TRIGGER IF EXISTS "ModuleCompletions_Passes" ON "ModuleCompletions";
            DROP TRIGGER IF EXISTS "Admissions_Passes" ON "Admissions";
            """,
        _ => throw new NotSupportedException($"No dashboard counters for provider {provider}."),
    };

    // Another live (not withdrawn) admission of the same person in the same community: then the person's membership,
    // and so the community's pass counts, do not change.
    private static string OtherLive(string row) =>
        $"""SELECT 1 FROM "Admissions" o WHERE o."UserId" = {row}."UserId" AND o."CommunityId" = {row}."CommunityId" AND o."State" <> 'Withdrawn' AND o."Id" <> {row}."Id" """;

    private static string JoinCommunity(string row) => $"""
        INSERT INTO "TrainingPassCounts" ("CommunityId", "ModuleId", "Count")
              SELECT {row}."CommunityId", m."ModuleId", 1 FROM (SELECT DISTINCT "ModuleId" FROM "ModuleCompletions" WHERE "UserId" = {row}."UserId") m WHERE true
              ON CONFLICT ("CommunityId", "ModuleId") DO UPDATE SET "Count" = "Count" + 1;
        """;

    private static string LeaveCommunity(string row) => $"""
        UPDATE "TrainingPassCounts" SET "Count" = "Count" - 1
              WHERE "CommunityId" = {row}."CommunityId" AND "ModuleId" IN (SELECT "ModuleId" FROM "ModuleCompletions" WHERE "UserId" = {row}."UserId");
        """;

    private static string FillMonthsAndTraining(string month) => $"""
        INSERT INTO "CertificateExpiryMonths" ("CommunityId", "Track", "Month", "Standing", "Count")
        SELECT c."CommunityId", c."Track", {month}, {string.Format(Standing, "c")}, count(*) FROM "Certificates" c
        GROUP BY c."CommunityId", c."Track", {month}, {string.Format(Standing, "c")};
        INSERT INTO "TrainingPassCounts" ("CommunityId", "ModuleId", "Count")
        SELECT a."CommunityId", m."ModuleId", count(*)
        FROM (SELECT DISTINCT "UserId", "CommunityId" FROM "Admissions" WHERE "State" <> 'Withdrawn') a
        JOIN (SELECT DISTINCT "UserId", "ModuleId" FROM "ModuleCompletions") m ON m."UserId" = a."UserId"
        GROUP BY a."CommunityId", m."ModuleId";
        """;
}
