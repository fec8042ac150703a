using Practitioners.TestSupport;
using Practitioners.Web.Data;

namespace Practitioners.IntegrationTests.Data;

/// <summary>
/// A test of SQLite itself (its file locks, a child process on the same file, reading the file directly): it runs in
/// the suite's SQLite pass and is reported as skipped in the PostgreSQL pass.
/// </summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDatabase.Provider != DatabaseProvider.Sqlite)
        {
            Skip = "a test of the SQLite set-up; it runs in the SQLite pass";
        }
    }
}
