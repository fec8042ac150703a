using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

/// <summary>
/// Two demo clients for Development, with documented secrets (README, "Partner systems"). Idempotent: a client that
/// exists is left as it is. Never run outside Development: these secrets are public.
/// </summary>
public sealed class PartnerSeeder(ClientRegistry registry, AppDbContext db, ILogger<PartnerSeeder> logger)
{
    public const string VerifierId = "demo-verifier";
    public const string VerifierSecret = "demo-verifier-secret-2026";
    public const string PartnerAppId = "demo-partner-app";
    public const string PartnerAppSecret = "demo-partner-app-secret-2026";
    public const string PartnerAppRedirect = "http://localhost:5090/callback";

    public async Task SeedAsync(CancellationToken ct)
    {
        if (!await registry.ExistsAsync(VerifierId, ct))
        {
            // The roster demo reads 和平里社区 when the demo communities are there.
            var heping = await db.Communities.Where(c => c.Code == "xinhua-heping").Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            await registry.CreateAsync(new NewPartnerClient(VerifierId, "演示核验系统 / Demo verifier", PartnerClientKind.Machine, [], [],
                [PartnerScopes.CredentialsVerify, PartnerScopes.RosterRead], heping is { } id ? [id] : []), null, ct, VerifierSecret);
            logger.LogInformation("Seeded the demo partner client {ClientId}", VerifierId);
        }
        if (!await registry.ExistsAsync(PartnerAppId, ct))
        {
            await registry.CreateAsync(new NewPartnerClient(PartnerAppId, "演示合作方应用 / Demo partner app", PartnerClientKind.WebApp,
                [new Uri(PartnerAppRedirect)], [new Uri("http://localhost:5090/")],
                [Scopes.OpenId, Scopes.Profile, Scopes.Email, PartnerScopes.Credentials], []), null, ct, PartnerAppSecret);
            logger.LogInformation("Seeded the demo partner client {ClientId}", PartnerAppId);
        }
    }
}
