using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Practitioners.Benchmarks;

public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests);

/// <summary>Runs wrk (Debian package "wrk") against the site and reads its summary.</summary>
public static partial class Wrk
{
    public static WrkResult Run(string url, int connections, TimeSpan duration, string? script = null, params string[] headers)
    {
        var args = new List<string> { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s", "--latency", "--timeout", "10s" };
        foreach (var h in headers)
        {
            args.Add("-H");
            args.Add(h);
        }
        if (script is not null)
        {
            args.Add("-s");
            args.Add(script);
        }
        args.Add(url);
        var info = new ProcessStartInfo("wrk", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start: install it with 'apt-get install wrk'.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        double Latency(string percentile)
        {
            var m = Regex.Match(output, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success)
            {
                return double.NaN;
            }
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
        var total = Regex.Match(output, @"(\d+) requests in");
        var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)");
        var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        long errors = non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (socket.Success)
        {
            errors += Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture));
        }
        if (!rps.Success)
        {
            throw new InvalidOperationException("Could not read wrk's output:\n" + output);
        }
        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), Latency("50"), Latency("99"), errors,
            total.Success ? long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }
}
