namespace Practitioners.Web.Features.Certificates.OpenBadges;

/// <summary>Signs a certificate's OpenBadgeCredential as a VC-JWT. The caller has checked who may have it.</summary>
public sealed class IssueOpenBadge(OpenBadgeDocuments documents, IssuerKey key)
{
    public string Run(BadgeFacts facts) => VcJwt.Sign(documents.Credential(facts), key);
}
