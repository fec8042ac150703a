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

/// <summary>A real SMTP server on a loopback port that keeps every message it accepts.</summary>
public sealed class SmtpSink : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private SmtpSink(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyCollection<MimeMessage> Messages => _messages;

    public static SmtpSink Start()
    {
        var port = FreePort();
        var sink = new SmtpSink(port);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(sink));
        var server = new SmtpServer.SmtpServer(options, services);
        _ = server.StartAsync(sink._stop.Token);
        return sink;
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

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    private int _disposed;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink._messages.Enqueue(message);
            sink._arrived.Release();
            return SmtpResponse.Ok;
        }
    }
}
