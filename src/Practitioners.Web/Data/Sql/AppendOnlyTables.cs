namespace Practitioners.Web.Data.Sql;

/// <summary>
/// Tables whose rows are evidence (signatures, completions, audit events, admission history) refuse UPDATE and
/// DELETE in the database itself, so no code path, bug or hand-run statement can rewrite them.
/// Provider-specific SQL lives here, for every provider the site runs on.
/// </summary>
public static class AppendOnlyTables
{
    public static string Create(string table, string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => $"""
            CREATE TRIGGER "{table}_NoUpdate" BEFORE UPDATE ON "{table}"
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be updated'); END;
            CREATE TRIGGER "{table}_NoDelete" BEFORE DELETE ON "{table}"
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be deleted'); END;
            """,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => $"""
            CREATE OR REPLACE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only: rows cannot be %d', TG_TABLE_NAME, lower(TG_OP); END $$;
            CREATE TRIGGER "{table}_AppendOnly" BEFORE UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION append_only();
            """,
        _ => throw new NotSupportedException($"No append-only triggers for provider {provider}."),
    };

    public static string Drop(string table, string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => $"""DROP TRIGGER IF EXISTS "{table}_NoUpdate"; DROP TRIGGER IF EXISTS "{table}_NoDelete";""",
        "Npgsql.EntityFrameworkCore.PostgreSQL" => $"""DROP TRIGGER IF EXISTS "{table}_AppendOnly" ON "{table}";""",
        _ => throw new NotSupportedException($"No append-only triggers for provider {provider}."),
    };
}
