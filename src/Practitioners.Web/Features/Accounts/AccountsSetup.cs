using Microsoft.AspNetCore.Identity;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Accounts;

public static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                // The email is the sign-in name and must be unique.
                options.User.RequireUniqueEmail = true;
                // People may sign in before confirming, but cannot start a role track until they do.
                options.SignIn.RequireConfirmedAccount = false;
                // Length over composition (NIST 800-63B, ASVS 2): at least 8 characters, no forced symbols,
                // and the most common passwords refused by CommonPasswordValidator.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                // Five wrong passwords lock the account for 15 minutes, new accounts included.
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            // A disabled account may not sign in (password, second step, partner code redemption).
            .AddSignInManager<People.SiteSignInManager>()
            .AddDefaultTokenProviders()
            // Authenticator codes (TOTP, RFC 6238) checked against the site's clock, under Identity's usual provider name.
            .AddTokenProvider<TwoFactor.ClockedAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>();

        // Confirmation and reset links are valid for one day.
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(1));

        var security = builder.Configuration.GetSection("Security");
        builder.Services.Configure<TwoFactor.SecurityOptions>(security);
        var idle = security.GetValue("IdleTimeout", new TwoFactor.SecurityOptions().IdleTimeout);
        // Managers and admins sign in with a second factor (Security:RequireTwoFactorForStaff); the filter sends a staff
        // session without one to the two-factor page, whatever it asked for.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add<TwoFactor.StaffTwoFactorFilter>());

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/account/denied";
            // The auth cookie is never readable from script, is sent on top-level navigations only (Lax keeps
            // links from emails working), and is Secure whenever the request is (outside Development: always, below).
            options.Cookie.Name = "pr.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing")
                ? CookieSecurePolicy.SameAsRequest
                : CookieSecurePolicy.Always;
            // Idle sessions end after Security:IdleTimeout (sliding); every session ends Security:AbsoluteTimeout after
            // sign-in however active (checked below). SessionLifetime compares the security stamp and the disabled flag on
            // every request, so a password change, two-factor change, "sign out everywhere" or a disabled account ends the
            // person's other sessions at their next request; Identity's own check below refreshes roles every 5 minutes.
            options.ExpireTimeSpan = idle;
            options.SlidingExpiration = true;
            options.Events.OnSigningIn = TwoFactor.SessionLifetime.StampSignInTimeAsync;
            options.Events.OnValidatePrincipal = TwoFactor.SessionLifetime.ValidateAsync;
        });
        builder.Services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(5);
            // The refreshed principal keeps "signed in with two factors" (Identity rebuilds it from the database).
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst("amr") is { } amr && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity
                    && !identity.HasClaim("amr", amr.Value))
                {
                    identity.AddClaim(new System.Security.Claims.Claim("amr", amr.Value));
                }
                return Task.CompletedTask;
            };
        });

        builder.Services.AddScoped<AccountEmails>();
        builder.Services.AddScoped<People.DisablePerson>();
        return builder;
    }
}
