using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Home;

public sealed class HomeController(
    TimeProvider clock,
    Microsoft.AspNetCore.Identity.UserManager<Accounts.ApplicationUser> userManager,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/")]
    public IActionResult Index() => View();

    /// <summary>Switches the interface language; signed-in people keep their choice in their profile too.</summary>
    [HttpPost("/culture")]
    [Accounts.TwoFactor.AllowWithoutTwoFactor]
    public async Task<IActionResult> SetCulture(string culture, string? returnUrl)
    {
        if (!Cultures.IsSupported(culture))
        {
            return BadRequest();
        }
        Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, LocalizationSetup.CookieValue(culture),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        if (User.Identity?.IsAuthenticated == true && await userManager.GetUserAsync(User) is { } user && user.PreferredCulture != culture)
        {
            user.PreferredCulture = culture;
            await userManager.UpdateAsync(user);
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }

    [Route("/error")]
    [Accounts.TwoFactor.AllowWithoutTwoFactor]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Error()
    {
        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("Problem", new ProblemViewModel(l["Error.500.Title"], l["Error.500.Text"]));
    }

    [Route("/error/{code:int}")]
    [Accounts.TwoFactor.AllowWithoutTwoFactor]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Status(int code)
    {
        Response.StatusCode = code;
        var key = code is 400 or 403 or 404 or 429 ? code.ToString() : "Other";
        return View("Problem", new ProblemViewModel(l[$"Error.{key}.Title"], l[$"Error.{key}.Text"]));
    }
}
