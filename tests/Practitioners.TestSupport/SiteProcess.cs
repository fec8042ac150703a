using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Practitioners.TestSupport;

/// <summary>
/// The built site (Practitioners.Web.dll, the same configuration as the tests) run by <c>dotnet</c> as a child process on
/// a real port, with settings given as environment variables. It can be killed the hard way (SIGKILL: no shutdown
/// code runs, open transactions are left to SQLite's recovery) and started again on the same database.
/// </summary>
public sealed class SiteProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiteProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the site wrote, for a failure message.</summary>
    public string Tail => string.Join('\n', _output);

    public static string WebDll
    {
        get
        {
            // tests/X/bin/{Configuration}/{tfm}/ → the site's own output of the same configuration.
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!.Name;
            var dll = Path.Combine(Repository.Root, "src", "Practitioners.Web", "bin", configuration, tfm.Name, "Practitioners.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the site first.", dll);
        }
    }

    /// <summary>Starts the site and waits until /ping answers.</summary>
    public static async Task<SiteProcess> StartAsync(string environment, IReadOnlyDictionary<string, string> settings, int? port = null,
        TimeSpan? timeout = null)
    {
        port ??= FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [WebDll])
        {
            // The content root: appsettings.json and wwwroot of the project, as `dotnet run` would have it.
            WorkingDirectory = Path.Combine(Repository.Root, "src", "Practitioners.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var site = new SiteProcess(Process.Start(start)!, address);
        using var ping = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (site.HasExited)
            {
                throw new InvalidOperationException($"The site exited with {site._process.ExitCode}:\n{site.Tail}");
            }
            try
            {
                if ((await ping.GetAsync("/ping")).StatusCode == HttpStatusCode.OK)
                {
                    return site;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly.
            }
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(90)))
            {
                site.Kill();
                throw new TimeoutException($"The site did not answer /ping:\n{site.Tail}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL to the whole process tree, then waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
