using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Practitioners.Web.Features.Accounts.TwoFactor;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them: HMAC-SHA1 over the 30-second step
/// number, 6 digits, the key shared as Base32 (RFC 4648). The same algorithm as ASP.NET Core Identity's
/// authenticator provider, but on the site's <see cref="TimeProvider"/> so tests can move the clock.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static int Compute(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF);
        return binary % 1_000_000;
    }

    /// <summary>The code an authenticator app shows at <paramref name="time"/> for a Base32 key, as six digits.</summary>
    public static string CodeAt(string base32Key, DateTimeOffset time) =>
        Compute(FromBase32(base32Key), StepAt(time)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.TrimEnd('=').Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var output = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a Base32 key.");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return output;
    }
}

/// <summary>
/// Identity's authenticator token provider with the site's clock. A code is accepted in the step it was shown and the
/// one before or after (90 seconds, for a phone whose clock is a little off), and only once: the step it matched is
/// recorded on the account, and that step or an earlier one is refused afterwards, at sign-in and at enrolment alike
/// (RFC 6238 section 5.2; ASVS 2). The clock is the sign-in cookie's: the site's clock (the fake one in tests), except
/// in Development, where the demo clock can be moved but phones cannot.
/// </summary>
public sealed class ClockedAuthenticatorTokenProvider(
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> cookies,
    Data.AppDbContext db) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    private TimeProvider Clock => cookies.Get(IdentityConstants.ApplicationScheme).TimeProvider ?? TimeProvider.System;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    // Nothing is sent: the person reads the code from their app.
    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult("");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        var digits = token.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (key is null || digits.Length != 6 || !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return false;
        }
        var bytes = Totp.FromBase32(key);
        var step = Totp.StepAt(Clock.GetUtcNow());
        long? matched = null;
        for (var i = -1; i <= 1; i++)
        {
            // Compare every candidate, so the time taken says nothing about which step matched.
            if (CryptographicOperations.FixedTimeEquals(BitConverter.GetBytes(Totp.Compute(bytes, step + i)), BitConverter.GetBytes(code)))
            {
                matched = step + i;
            }
        }
        if (matched is not { } accepted)
        {
            return false;
        }
        // One conditional update claims the step: of two requests with the same code, only one changes the row. The
        // concurrency stamp changes with it, so a request holding an older copy of the account cannot write the old step
        // back; this request's own copy learns both values, as if it had loaded them.
        var stamp = Guid.NewGuid().ToString();
        var claimed = await db.Users.Where(u => u.Id == user.Id && (u.AuthenticatorLastStep == null || u.AuthenticatorLastStep < accepted))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AuthenticatorLastStep, accepted).SetProperty(u => u.ConcurrencyStamp, stamp));
        if (claimed != 1)
        {
            return false;
        }
        var entry = db.Entry(user);
        if (entry.State == EntityState.Detached)
        {
            user.AuthenticatorLastStep = accepted;
            user.ConcurrencyStamp = stamp;
        }
        else
        {
            entry.Property(u => u.AuthenticatorLastStep).CurrentValue = accepted;
            entry.Property(u => u.AuthenticatorLastStep).OriginalValue = accepted;
            entry.Property(u => u.ConcurrencyStamp).CurrentValue = stamp;
            entry.Property(u => u.ConcurrencyStamp).OriginalValue = stamp;
        }
        return true;
    }

    /// <summary>A new key starts afresh: its codes have never been used, whatever the old key's last step was.</summary>
    public static async Task ForgetUsedStepsAsync(Data.AppDbContext db, ApplicationUser user)
    {
        user.AuthenticatorLastStep = null;
        await db.SaveChangesAsync();
    }
}
