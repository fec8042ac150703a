using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Practitioners.Web.Data;

/// <summary>Stores <see cref="DateTime"/> as UTC and reads it back with <see cref="DateTimeKind.Utc"/>.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
