using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;

namespace Practitioners.TestSupport;

/// <summary>Arranges people and places for a test, through the same services the site uses.</summary>
public static partial class People
{
    public const string Password = "river lamp orchard 7";

    public static async Task<ApplicationUser> CreateUserAsync(this SiteFactory site, string email, string fullName = "测试用户",
        bool confirmed = true, string culture = "zh-CN", params string[] roles)
    {
        ApplicationUser? user = null;
        await site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            user = new ApplicationUser
            {
                UserName = email, Email = email, FullName = fullName, EmailConfirmed = confirmed,
                PreferredCulture = culture, CreatedAt = site.Clock.GetUtcNow().UtcDateTime,
            };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }
            foreach (var role in roles)
            {
                await users.AddToRoleAsync(user, role);
            }
        });
        return user!;
    }

    public static Task<Community> CreateCommunityAsync(this SiteFactory site, string code, bool requiresApproval = false,
        string streetCode = "street-a") =>
        site.WithDbAsync(async db =>
        {
            var street = db.Streets.SingleOrDefault(s => s.Code == streetCode)
                ?? db.Streets.Add(new Street { Code = streetCode, NameZh = "测试街道 " + streetCode, NameEn = "Test street " + streetCode }).Entity;
            var community = new Community
            {
                Street = street, Code = code, NameZh = "测试社区 " + code, NameEn = "Test community " + code,
                RequiresApproval = requiresApproval,
            };
            db.Communities.Add(community);
            await db.SaveChangesAsync();
            return community;
        });

    public static HttpClient CreateBrowserClient(this SiteFactory site, bool followRedirects = true) =>
        site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = followRedirects,
            HandleCookies = true,
        });

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.SubmitAsync("/account/sign-in", "/account/sign-in",
            [new("Email", email), new("Password", password)]);
        return response;
    }

    /// <summary>The first link in a message's text body that points at the given path.</summary>
    public static string LinkTo(this MimeKit.MimeMessage message, string path)
    {
        var body = message.TextBody ?? message.HtmlBody ?? "";
        var match = Regex.Match(body, $@"https?://[^\s""<>]*{Regex.Escape(path)}[^\s""<>]*");
        if (!match.Success)
        {
            throw new InvalidOperationException($"No link to {path} in: {body}");
        }
        var uri = new Uri(WebUtility.HtmlDecode(match.Value));
        return uri.PathAndQuery;
    }
}
