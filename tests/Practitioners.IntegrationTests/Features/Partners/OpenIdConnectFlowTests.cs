using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Duende.IdentityModel.OidcClient;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Partners;

/// <summary>The site on a real Kestrel port, so a real OpenID Connect client library can talk to it over HTTP.</summary>
public sealed class KestrelSite : IAsyncLifetime
{
    public SiteFactory Site { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    public Task InitializeAsync()
    {
        // The client library checks token lifetimes against the real clock: start the site's clock from now.
        if (DateTimeOffset.UtcNow > Site.Clock.GetUtcNow())
        {
            Site.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }
        Site.UseKestrel(0);
        Site.StartServer();
        var address = Site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

public sealed class OpenIdConnectFlowTests : IClassFixture<KestrelSite>
{
    private const string Callback = "http://localhost:5090/callback";
    private static readonly HtmlParser Parser = new();
    private readonly KestrelSite _kestrel;

    public OpenIdConnectFlowTests(KestrelSite kestrel) => _kestrel = kestrel;

    private SiteFactory Site => _kestrel.Site;

    [Fact]
    public async Task PartnerApp_SignsAPersonIn_WithCodeAndPkce_AndReadsTheirCredentials()
    {
        using var browser = new Browser(_kestrel.BaseUri);
        var (userId, certificate, _) = await Site.CertifiedAsync("oidc-holder@example.cn", "陈晓", browser.AutoRedirecting());
        var secret = await Site.RegisterWebAppAsync("partner-app-flow", Callback);
        var oidc = new OidcClient(new OidcClientOptions
        {
            Authority = _kestrel.BaseUri.ToString().TrimEnd('/'),
            ClientId = "partner-app-flow",
            ClientSecret = secret,
            RedirectUri = Callback,
            Scope = "openid profile email credentials",
            LoadProfile = true,
            Policy = new Policy { Discovery = new Duende.IdentityModel.Client.DiscoveryPolicy { RequireHttps = false } },
        });

        var state = await oidc.PrepareLoginAsync();
        var callback = await browser.SignInAndConsentAsync(new Uri(state.StartUrl), "oidc-holder@example.cn", accept: true);
        var result = await oidc.ProcessResponseAsync(callback.ToString(), state);

        Assert.False(result.IsError, result.Error + " " + result.ErrorDescription);
        Assert.Equal(userId, result.User.FindFirst("sub")?.Value);
        Assert.Equal("陈晓", result.User.FindFirst("name")?.Value);
        Assert.Equal("oidc-holder@example.cn", result.User.FindFirst("email")?.Value);
        // In the identity token, signed by the site...
        var fromIdToken = Credentials(Payload(result.IdentityToken).GetProperty("credentials"));
        Assert.Equal([(certificate.Number, "V", "valid")], fromIdToken);
        // ...and from userinfo, read fresh with the access token.
        var userInfo = await oidc.GetUserInfoAsync(result.AccessToken);
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Contains(userInfo.Claims, c => c.Type == "credentials" && c.Value.Contains(certificate.Number, StringComparison.Ordinal));

        // The consent is remembered: the next sign-in goes straight back to the app.
        var again = await oidc.PrepareLoginAsync();
        var (response, url) = await browser.GoAsync(new Uri(again.StartUrl));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(Callback, url.ToString(), StringComparison.Ordinal);
        Assert.False((await oidc.ProcessResponseAsync(url.ToString(), again)).IsError);
    }

    [Fact]
    public async Task AnAuthorizationRequestWithoutPkce_IsRefused_BeforeAnyoneSignsIn()
    {
        await Site.RegisterWebAppAsync("partner-app-no-pkce", Callback);
        using var browser = new Browser(_kestrel.BaseUri);

        var (response, _) = await browser.GoAsync(AuthorizeUrl("partner-app-no-pkce", Callback, challenge: null));

        await AssertRefusedHereAsync(response, "code_challenge");
    }

    [Fact]
    public async Task APlainPkceChallenge_IsRefused()
    {
        await Site.RegisterWebAppAsync("partner-app-plain", Callback);
        using var browser = new Browser(_kestrel.BaseUri);

        var (response, _) = await browser.GoAsync(new Uri(AuthorizeUrl("partner-app-plain", Callback, challenge: null)
            + "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain"));

        await AssertRefusedHereAsync(response, "code_challenge_method");
    }

    /// <summary>Refused on this site's own error page: no redirect, no code, no sign-in page.</summary>
    private static async Task AssertRefusedHereAsync(HttpResponseMessage response, string mentioning)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var page = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("无法完成合作方应用的请求", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("invalid_request", page.QuerySelector("dd code")!.TextContent);
        Assert.Contains(mentioning, page.QuerySelector("dd[lang=en]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongVerifier_AndAReplayedCode_GetNoTokens()
    {
        await Site.CreateUserAsync("oidc-replay@example.cn", "林九");
        var secret = await Site.RegisterWebAppAsync("partner-app-replay", Callback);
        using var browser = new Browser(_kestrel.BaseUri);
        var token = new HttpClient { BaseAddress = _kestrel.BaseUri };

        var (verifier, challenge) = Pkce();
        var first = await browser.SignInAndConsentAsync(AuthorizeUrl("partner-app-replay", Callback, challenge), "oidc-replay@example.cn", accept: true);
        var wrong = await token.PostAsync("/connect/token", CodeExchange("partner-app-replay", secret, Code(first), Pkce().Verifier));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(wrong));

        (verifier, challenge) = Pkce();
        var (_, second) = await browser.GoAsync(AuthorizeUrl("partner-app-replay", Callback, challenge));
        var code = Code(second);
        Assert.Equal(HttpStatusCode.OK, (await token.PostAsync("/connect/token", CodeExchange("partner-app-replay", secret, code, verifier))).StatusCode);
        var replay = await token.PostAsync("/connect/token", CodeExchange("partner-app-replay", secret, code, verifier));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", await ErrorAsync(replay));
    }

    [Fact]
    public async Task ARedirectUriThatIsNotRegistered_GetsThisSitesErrorPage_NotARedirect()
    {
        await Site.RegisterWebAppAsync("partner-app-redirect", Callback);
        using var browser = new Browser(_kestrel.BaseUri);

        var (response, _) = await browser.GoAsync(AuthorizeUrl("partner-app-redirect", "http://evil.example/callback", Pkce().Challenge));

        await AssertRefusedHereAsync(response, "redirect_uri");
    }

    [Fact]
    public async Task APersonWhoDoesNotConsent_IsSentBackWithAccessDenied_AndNothingIsRemembered()
    {
        await Site.CreateUserAsync("oidc-deny@example.cn", "周十");
        await Site.RegisterWebAppAsync("partner-app-deny", Callback);
        using var browser = new Browser(_kestrel.BaseUri);

        var callback = await browser.SignInAndConsentAsync(AuthorizeUrl("partner-app-deny", Callback, Pkce().Challenge), "oidc-deny@example.cn", accept: false);

        Assert.Contains("error=access_denied", callback.Query, StringComparison.Ordinal);
        var (page, _) = await browser.GoAsync(AuthorizeUrl("partner-app-deny", Callback, Pkce().Challenge));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(Parser.ParseDocument(await page.Content.ReadAsStringAsync()).QuerySelector("form.consent"));
    }

    private Uri AuthorizeUrl(string clientId, string redirectUri, string? challenge)
    {
        var query = $"client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code" +
            $"&scope={Uri.EscapeDataString("openid profile credentials")}&state=s-{Guid.NewGuid():N}&nonce=n-{Guid.NewGuid():N}";
        if (challenge is not null)
        {
            query += $"&code_challenge={challenge}&code_challenge_method=S256";
        }
        return new Uri(_kestrel.BaseUri, "/connect/authorize?" + query);
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static FormUrlEncodedContent CodeExchange(string clientId, string secret, string code, string verifier) => new(
    [
        new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", Callback), new("code_verifier", verifier),
        new("client_id", clientId), new("client_secret", secret),
    ]);

    private static string Code(Uri callback) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].Single()
            ?? throw new InvalidOperationException($"No code in {callback}");

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Convert.FromBase64String(Pad(jwt.Split('.')[1].Replace('-', '+').Replace('_', '/')))).RootElement;

    private static string Pad(string s) => s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');

    private static List<(string Number, string Type, string Status)> Credentials(JsonElement array) =>
        [.. array.EnumerateArray().Select(c => (c.GetProperty("number").GetString()!, c.GetProperty("type").GetString()!, c.GetProperty("status").GetString()!))];

    /// <summary>
    /// Plays the person's browser: keeps cookies, follows redirects within the site by hand, fills the sign-in and
    /// consent forms, and stops at the first redirect that leaves the site (the partner's callback).
    /// </summary>
    private sealed class Browser(Uri site) : IDisposable
    {
        private readonly System.Net.CookieContainer _cookies = new();
        private HttpClient? _manual;
        private HttpClient? _auto;

        private HttpClient Manual => _manual ??= new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = _cookies })
        {
            BaseAddress = site,
        };

        /// <summary>A client sharing the cookies that follows redirects, for the site's helpers.</summary>
        public HttpClient AutoRedirecting() => _auto ??= new HttpClient(new HttpClientHandler { AllowAutoRedirect = true, CookieContainer = _cookies })
        {
            BaseAddress = site,
        };

        public async Task<(HttpResponseMessage Response, Uri Url)> GoAsync(Uri url, HttpContent? form = null)
        {
            var response = form is null ? await Manual.GetAsync(url) : await Manual.PostAsync(url, form);
            while (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectMethod)
            {
                var next = new Uri(url, response.Headers.Location!);
                if (next.Authority != site.Authority)
                {
                    return (response, next);
                }
                url = next;
                response = await Manual.GetAsync(url);
            }
            return (response, url);
        }

        public async Task<Uri> SignInAndConsentAsync(Uri start, string email, bool accept)
        {
            var (response, url) = await GoAsync(start);
            if (url.AbsolutePath == "/account/sign-in")
            {
                var signIn = await ParseAsync(response);
                var form = Fields(signIn, "form[action='/account/sign-in']");
                form["Email"] = email;
                form["Password"] = People.Password;
                (response, url) = await GoAsync(new Uri(site, "/account/sign-in"), new FormUrlEncodedContent(form));
            }
            if (url.Authority != site.Authority)
            {
                return url;
            }
            var consent = await ParseAsync(response);
            Assert.NotNull(consent.QuerySelector("form.consent"));
            var fields = Fields(consent, "form.consent");
            fields[accept ? "submit.Accept" : "submit.Deny"] = accept ? "yes" : "no";
            (response, url) = await GoAsync(new Uri(site, "/connect/authorize"), new FormUrlEncodedContent(fields));
            Assert.True(url.Authority != site.Authority, $"Still on the site at {url}: {(int)response.StatusCode}");
            return url;
        }

        private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        }

        private static Dictionary<string, string> Fields(IHtmlDocument page, string form) =>
            page.QuerySelectorAll($"{form} input[type=hidden]")
                .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");

        public void Dispose()
        {
            _manual?.Dispose();
            _auto?.Dispose();
        }
    }
}
