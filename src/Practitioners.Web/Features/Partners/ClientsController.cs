using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Partners;

/// <summary>The admins' client registry: register a partner, rotate its secret, disable it.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/clients")]
public sealed class ClientsController(ClientRegistry registry, AppDbContext db, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Clients", new ClientListViewModel(await registry.ListAsync(ct), await CommunityNamesAsync(ct)));

    [HttpGet("new")]
    public async Task<IActionResult> New(CancellationToken ct) => View("ClientNew", await FormAsync(new ClientInput(), ct));

    [HttpPost("new")]
    public async Task<IActionResult> New(ClientInput input, CancellationToken ct)
    {
        var redirects = ParseUris(input.RedirectUris, nameof(input.RedirectUris));
        var postLogout = ParseUris(input.PostLogoutRedirectUris, nameof(input.PostLogoutRedirectUris));
        var allowed = ClientRegistry.Allowed(input.Kind);
        if (input.Scopes.Count == 0 || input.Scopes.Any(s => !allowed.Contains(s)))
        {
            ModelState.AddModelError(nameof(input.Scopes), l["Partners.Clients.ScopesInvalid"]);
        }
        if (input.Kind == PartnerClientKind.WebApp && redirects.Count == 0)
        {
            ModelState.AddModelError(nameof(input.RedirectUris), l["Partners.Clients.RedirectRequired"]);
        }
        var knownCommunities = await db.Communities.Where(c => input.CommunityIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (knownCommunities.Count != input.CommunityIds.Distinct().Count())
        {
            ModelState.AddModelError(nameof(input.CommunityIds), l["Partners.Clients.CommunityUnknown"]);
        }
        if (input.Kind == PartnerClientKind.Machine && input.Scopes.Contains(PartnerScopes.RosterRead) && knownCommunities.Count == 0)
        {
            ModelState.AddModelError(nameof(input.CommunityIds), l["Partners.Clients.CommunityRequired"]);
        }
        if (ModelState.IsValid && await registry.ExistsAsync(input.ClientId, ct))
        {
            ModelState.AddModelError(nameof(input.ClientId), l["Partners.Clients.ClientIdTaken"]);
        }
        if (!ModelState.IsValid)
        {
            return View("ClientNew", await FormAsync(input, ct));
        }
        var secret = await registry.CreateAsync(new NewPartnerClient(input.ClientId, input.DisplayName.Trim(), input.Kind, redirects, postLogout,
            input.Scopes, knownCommunities), UserId(), ct);
        return SecretPage(input.ClientId, secret, created: true);
    }

    [HttpGet("{clientId}")]
    public async Task<IActionResult> Show(string clientId, CancellationToken ct) =>
        await registry.FindAsync(clientId, ct) is { } client
            ? View("ClientShow", new ClientShowViewModel(client, await CommunityNamesAsync(ct)))
            : NotFound();

    [HttpPost("{clientId}/rotate")]
    public async Task<IActionResult> Rotate(string clientId, CancellationToken ct) =>
        await registry.RotateSecretAsync(clientId, UserId(), ct) is { } secret ? SecretPage(clientId, secret, created: false) : NotFound();

    [HttpPost("{clientId}/disable")]
    public async Task<IActionResult> Disable(string clientId, CancellationToken ct)
    {
        if (!await registry.DisableAsync(clientId, UserId(), ct))
        {
            return NotFound();
        }
        TempData["Flash"] = l["Partners.Clients.Disabled", clientId].Value;
        return Redirect($"/admin/clients/{Uri.EscapeDataString(clientId)}");
    }

    /// <summary>The secret in clear, once: never cached, never redirected through, never stored.</summary>
    private ViewResult SecretPage(string clientId, string secret, bool created)
    {
        Response.NeverStore();
        return View("ClientSecret", new ClientSecretViewModel(clientId, secret, created));
    }

    private string? UserId() => User.FindFirstValue(ClaimTypes.NameIdentifier);

    private List<Uri> ParseUris(string? text, string field)
    {
        var uris = new List<Uri>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Absolute http(s) without a fragment (RFC 6749 §3.1.2); plain http is for development machines only.
            if (Uri.TryCreate(line, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Fragment.Length == 0)
            {
                uris.Add(uri);
            }
            else
            {
                ModelState.AddModelError(field, l["Partners.Clients.UriInvalid", line]);
            }
        }
        return uris;
    }

    private async Task<ClientFormViewModel> FormAsync(ClientInput input, CancellationToken ct) =>
        new(input, await db.Communities.AsNoTracking().OrderBy(c => c.StreetId).ThenBy(c => c.Id)
            .Select(c => new CommunityOption(c.Id, c.NameZh, c.NameEn)).ToListAsync(ct));

    private async Task<IReadOnlyDictionary<int, string>> CommunityNamesAsync(CancellationToken ct) =>
        (await db.Communities.AsNoTracking().Select(c => new { c.Id, c.NameZh, c.NameEn }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => Cultures.Pick(c.NameZh, c.NameEn));
}

public sealed class ClientInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [RegularExpression("^[a-z0-9][a-z0-9.-]{2,63}$", ErrorMessage = "Partners.Clients.ClientIdFormat")]
    [Display(Name = "Partners.Clients.ClientId")]
    public string ClientId { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Partners.Clients.DisplayName")]
    public string DisplayName { get; set; } = "";

    [Display(Name = "Partners.Clients.Kind")]
    public PartnerClientKind Kind { get; set; } = PartnerClientKind.Machine;

    [Display(Name = "Partners.Clients.RedirectUris")]
    public string? RedirectUris { get; set; }

    [Display(Name = "Partners.Clients.PostLogoutRedirectUris")]
    public string? PostLogoutRedirectUris { get; set; }

    public List<string> Scopes { get; set; } = [];

    public List<int> CommunityIds { get; set; } = [];
}

public sealed record CommunityOption(int Id, string NameZh, string NameEn)
{
    public string Name => Cultures.Pick(NameZh, NameEn);
}

public sealed record ClientFormViewModel(ClientInput Input, IReadOnlyList<CommunityOption> Communities);

public sealed record ClientListViewModel(IReadOnlyList<PartnerClientView> Clients, IReadOnlyDictionary<int, string> CommunityNames);

public sealed record ClientShowViewModel(PartnerClientView Client, IReadOnlyDictionary<int, string> CommunityNames);

public sealed record ClientSecretViewModel(string ClientId, string Secret, bool Created);
