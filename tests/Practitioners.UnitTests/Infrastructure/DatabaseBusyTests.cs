using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Infrastructure.Data;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class DatabaseBusyTests
{
    [Theory]
    [InlineData(5, true)]   // SQLITE_BUSY: another connection holds the write lock
    [InlineData(6, true)]   // SQLITE_LOCKED: a table locked within the same connection's cache
    [InlineData(19, false)] // SQLITE_CONSTRAINT: a real error, not a wait
    [InlineData(1, false)]
    public void IsBusy_LooksThroughTheWrappers_AndOnlyForBusyOrLocked(int code, bool busy)
    {
        var sqlite = new SqliteException("database is locked", code);

        Assert.Equal(busy, DatabaseBusy.IsBusy(sqlite));
        Assert.Equal(busy, DatabaseBusy.IsBusy(new DbUpdateException("An error occurred while saving the entity changes.", sqlite)));
        Assert.Equal(busy, DatabaseBusy.IsBusy(new InvalidOperationException("outer", new DbUpdateException("inner", sqlite))));
    }

    [Fact]
    public void IsBusy_IsFalse_ForOtherExceptions() =>
        Assert.False(DatabaseBusy.IsBusy(new TimeoutException("database is locked")));
}
