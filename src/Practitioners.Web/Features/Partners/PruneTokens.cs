using OpenIddict.Abstractions;

namespace Practitioners.Web.Features.Partners;

/// <summary>
/// Deletes expired or revoked tokens and authorizations older than <see cref="KeepFor"/>; a step of the daily sweep
/// (Infrastructure/Jobs/DailyJobs.cs).
/// </summary>
public sealed class PruneTokens(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, TimeProvider clock)
{
    /// <summary>How long finished tokens stay for investigation before they go.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    public async Task<(long Tokens, long Authorizations)> RunAsync(CancellationToken ct)
    {
        var threshold = clock.GetUtcNow() - KeepFor;
        return (await tokens.PruneAsync(threshold, ct), await authorizations.PruneAsync(threshold, ct));
    }
}
