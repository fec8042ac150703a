using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Practitioners.TestSupport;

/// <summary>
/// A real SMTP server on a loopback port that keeps every message it accepts. It can be stopped and started again
/// on the same port (the server is down), and told to refuse the next messages with a reply code (451, 550…).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly ConcurrentQueue<int> _replies = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private int _sessions;
    private int _refused;

    private SmtpSink(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyCollection<MimeMessage> Messages => _messages;

    /// <summary>How many SMTP connections were opened since the sink started.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>How many messages were refused with a queued reply.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public bool Running
    {
        get
        {
            lock (_gate)
            {
                return _stop is not null;
            }
        }
    }

    public static SmtpSink Start()
    {
        var sink = new SmtpSink(FreePort());
        sink.Resume();
        return sink;
    }

    /// <summary>Stops listening: connections are refused until <see cref="Resume"/>.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stop?.Cancel();
            _stop?.Dispose();
            _stop = null;
        }
        WaitUntil(listening: false);
    }

    /// <summary>Listens again on the same port.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return;
            }
            _stop = new CancellationTokenSource();
            var options = new SmtpServerOptionsBuilder()
                .ServerName("localhost")
                .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
                .Build();
            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(new Store(this));
            services.Add(new NoDelayListenerFactory());
            var server = new SmtpServer.SmtpServer(options, services);
            server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
            _ = server.StartAsync(_stop.Token);
        }
        WaitUntil(listening: true);
    }

    /// <summary>The next <paramref name="count"/> messages are refused with this reply code at the end of DATA.</summary>
    public void Refuse(int code, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _replies.Enqueue(code);
        }
    }

    /// <summary>Waits for the next message to the given address that satisfies the filter.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool>? filter = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = _messages.LastOrDefault(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase))
                && (filter is null || filter(m)));
            if (found is not null)
            {
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No message to {to} arrived; {_messages.Count} other message(s) did.");
            }
            await _arrived.WaitAsync(left);
        }
    }

    /// <summary>Every accepted message to the given address, in arrival order.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        _messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Stop();
        }
    }

    private int _disposed;

    /// <summary>The server binds and unbinds in the background; a test that sends at once must not race it. Looks, not connects.</summary>
    private void WaitUntil(bool listening)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => e.Port == Port) != listening
            && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Replies go out at once, as a real server's do: without NoDelay, Nagle's algorithm holds the second of two
    /// pipelined replies until the client's delayed ACK, some 40 ms per message.
    /// </summary>
    private sealed class NoDelayListenerFactory : SmtpServer.Net.EndpointListenerFactory
    {
        public override SmtpServer.Net.IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = base.CreateListener(endpointDefinition);
            // SmtpServer keeps its TcpListener private; Linux gives every socket it accepts the listener's TCP_NODELAY.
            var tcp = listener.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .Select(f => f.GetValue(listener)).OfType<TcpListener>().Single();
            tcp.Server.NoDelay = true;
            return listener;
        }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink._replies.TryDequeue(out var code))
            {
                Interlocked.Increment(ref sink._refused);
                return new SmtpResponse((SmtpReplyCode)code, code >= 500 ? "Refused for good (test)" : "Try again later (test)");
            }
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink._messages.Enqueue(message);
            sink._arrived.Release();
            return SmtpResponse.Ok;
        }
    }
}
