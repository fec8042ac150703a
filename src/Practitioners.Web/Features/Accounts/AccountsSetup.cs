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
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>();

        // Confirmation and reset links are valid for one day.
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(1));

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/account/denied";
            // The auth cookie is never readable from script, is sent on top-level navigations only (Lax keeps
            // links from emails working), and is Secure whenever the request is.
            options.Cookie.Name = "pr.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Idle sessions end after 8 hours; the security stamp is checked every 5 minutes, so a password
            // change or a disabled account signs the person out everywhere.
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        builder.Services.AddScoped<AccountEmails>();
        return builder;
    }
}
