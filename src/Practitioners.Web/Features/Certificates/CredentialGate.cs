using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Certificates;

/// <summary>
/// "Holds a valid credential of this type": a certificate of the track that is neither revoked nor suspended and has
/// not expired (status Valid or Expiring). One query so every gate that asks it agrees, in SQL.
/// </summary>
public static class CredentialGate
{
    public static IQueryable<Certificate> ValidOf(this IQueryable<Certificate> certificates, RoleTrack track, DateTime now) =>
        certificates.Where(c => c.Track == track && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > now);
}
