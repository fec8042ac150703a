using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Data;

/// <summary>
/// A test that needs a PostgreSQL server whatever engine the suite runs on. tests/run-all.sh always provides one and
/// runs these tests once, in the PostgreSQL pass (Category=Postgres); without a server they are reported as skipped.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.PostgresServer is null)
        {
            Skip = $"needs a PostgreSQL server: set {TestDatabase.PostgresVariable} (tests/run-all.sh does)";
        }
    }
}
