using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Home;

/// <summary>
/// /.well-known/security.txt (RFC 9116): how to report a security problem. The contact is the setting Security:Contact;
/// the file expires a year after it is served (RFC 9116 asks for less than a year ahead of publication), so it is
/// never stale, and names its canonical address on this site.
/// </summary>
public sealed class SecurityTxtController(IOptionsMonitor<Accounts.TwoFactor.SecurityOptions> options, TimeProvider clock, SiteLinks links) : Controller
{
    public const string Path = "/.well-known/security.txt";

    [HttpGet(Path)]
    [Accounts.TwoFactor.AllowWithoutTwoFactor]
    public IActionResult SecurityTxt()
    {
        var contact = options.CurrentValue.Contact.Trim();
        if (contact.Length == 0)
        {
            return NotFound();
        }
        var expires = clock.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Response.Headers.CacheControl = "public, max-age=86400";
        return Content(
            $"Contact: {contact}\n" +
            $"Expires: {expires}\n" +
            "Preferred-Languages: zh, en\n" +
            $"Canonical: {links.Absolute(Path)}\n",
            "text/plain; charset=utf-8");
    }
}
