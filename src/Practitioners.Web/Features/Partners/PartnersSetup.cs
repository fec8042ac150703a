using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Partners.Api;
using Practitioners.Web.Infrastructure.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

/// <summary>
/// Partner systems: this site as an OpenID Connect provider (OpenIddict server, validation and EF Core stores in the
/// site's own database), the client registry for admins, and API v1 with its OpenAPI document.
/// </summary>
public static class PartnersSetup
{
    public static WebApplicationBuilder AddPartners(this WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        // Read once at start-up, so a missing production certificate stops the site before it takes traffic.
        var certificates = ServerCertificateLoader.Load(builder.Configuration, environment);
        var plainHttpAllowed = environment.IsDevelopment() || environment.IsEnvironment("Testing");

        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<AppDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(PartnerEndpoints.Authorize)
                    .SetTokenEndpointUris(PartnerEndpoints.Token)
                    .SetUserInfoEndpointUris(PartnerEndpoints.UserInfo)
                    .SetEndSessionEndpointUris(PartnerEndpoints.EndSession);

                // Two flows only. Interactive clients use the authorization code with PKCE (RFC 7636), required for
                // every client, so an intercepted code is useless without the verifier; partner systems use client
                // credentials. No implicit, hybrid or password flow: each leaks tokens or passwords to the client.
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.AllowClientCredentialsFlow();
                // S256 only: the "plain" method sends the verifier itself and protects nothing against interception.
                options.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                options.RegisterScopes([.. PartnerScopes.All]);
                options.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.EmailVerified, Claims.Locale, PartnerClaims.CredentialsClaim);

                // Short-lived codes and access tokens: a partner that lost a token loses it within the hour.
                options.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(5))
                    .SetAccessTokenLifetime(TimeSpan.FromHours(1))
                    .SetIdentityTokenLifetime(TimeSpan.FromMinutes(20));

                // Persisted certificates (see ServerCertificateLoader): tokens survive restarts and every node signs
                // with the same key. Access tokens stay encrypted: partners need not read them, only present them.
                options.AddSigningCertificate(certificates.Signing)
                    .AddEncryptionCertificate(certificates.Encryption);

                // The MVC actions in AuthorizationController handle these endpoints after OpenIddict has validated the
                // request; errors that cannot be sent back to a client (bad client id, unregistered redirect URI) are
                // shown on this site's own page rather than redirected anywhere.
                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough()
                    // Compact JSON, like the API's: one line a shell script can read.
                    .SuppressJsonResponseIndentation();
                // Tokens and secrets travel only over TLS, except on a developer's machine and in tests.
                if (plainHttpAllowed)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                // The API trusts tokens from this server only, with its keys, in-process.
                options.UseLocalServer();
                options.UseAspNetCore();
                // Each token is checked against its database entry, so disabling a client or revoking its tokens
                // takes effect at once rather than when the hour is up.
                options.EnableTokenEntryValidation();
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PartnerPolicies.CredentialsVerify, ScopePolicy(PartnerScopes.CredentialsVerify))
            .AddPolicy(PartnerPolicies.RosterRead, ScopePolicy(PartnerScopes.RosterRead));

        builder.Services.AddProblemDetails();
        builder.Services.AddScoped<PartnerClaims>();
        builder.Services.AddScoped<ClientRegistry>();
        builder.Services.AddScoped<PartnerSeeder>();
        builder.Services.AddScoped<PruneTokens>();
        builder.AddPartnerApi();
        return builder;
    }

    public static WebApplication MapPartners(this WebApplication app)
    {
        app.MapPartnerApi();
        return app;
    }

    /// <summary>Seeds the demo partner clients, only in Development and only when demo data is on.</summary>
    public static async Task SeedPartnerClientsAsync(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() && app.Configuration.GetValue<bool>("Seeding:DemoData"))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PartnerSeeder>().SeedAsync(CancellationToken.None);
        }
    }

    private static AuthorizationPolicy ScopePolicy(string scope) => new AuthorizationPolicyBuilder()
        .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => context.User.HasScope(scope))
        .Build();
}

public static class PartnerPolicies
{
    public const string CredentialsVerify = "partner:" + PartnerScopes.CredentialsVerify;
    public const string RosterRead = "partner:" + PartnerScopes.RosterRead;
}
