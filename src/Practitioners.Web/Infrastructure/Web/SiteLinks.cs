using Microsoft.Extensions.Options;

namespace Practitioners.Web.Infrastructure.Web;

/// <summary>Absolute links for emails and QR codes: the configured public address, else the current request's.</summary>
public sealed class SiteLinks(IOptions<SiteOptions> options, IHttpContextAccessor http)
{
    public string Absolute(string path)
    {
        var configured = options.Value.PublicBaseUrl;
        var request = http.HttpContext?.Request;
        var root = !string.IsNullOrWhiteSpace(configured) ? configured.TrimEnd('/')
            : request is not null ? $"{request.Scheme}://{request.Host}"
            : throw new InvalidOperationException("Site:PublicBaseUrl is not set and there is no request to take the address from.");
        return root + (path.StartsWith('/') ? path : "/" + path);
    }
}
