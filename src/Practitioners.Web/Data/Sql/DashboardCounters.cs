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
}
