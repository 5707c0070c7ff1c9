using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port inside the test process. Kazan sends to it
/// through MailKit over a socket; the test reads what arrived, parsed by MimeKit.
/// </summary>
public sealed class SmtpCapture : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly Task _running;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmtpCapture() : this(Ports.Free())
    {
    }

    /// <summary>A server on a given port: a test that stopped one starts it again where Kazan expects it.</summary>
    public SmtpCapture(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        WaitUntilListening();
    }

    public int Port { get; }

    /// <summary>The settings that point Kazan at this server.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:Smtp:Host"] = "127.0.0.1",
        ["Kazan:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Kazan:Smtp:Security"] = "None",
        ["Kazan:Smtp:From"] = "Kazan <kazan@example.com>",
        ["Kazan:Smtp:TimeoutSeconds"] = "10",
    };

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    public IEnumerable<MimeMessage> To(string address) =>
        _messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Waits until a message to <paramref name="address"/> (the <paramref name="nth"/>, 1-based) has arrived.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, int nth = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var next = Volatile.Read(ref _next).Task;
            if (To(address).Skip(nth - 1).FirstOrDefault() is { } found)
            {
                return found;
            }

            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No mail #{nth} to {address} arrived; got {_messages.Count} other(s).");
            }
        }
    }

    /// <summary>The first http(s) link in the message's text.</summary>
    public static string LinkIn(MimeMessage message)
    {
        var text = message.TextBody ?? "";
        var match = System.Text.RegularExpressions.Regex.Match(text, @"https?://\S+");
        Assert.True(match.Success, "The mail carries no link: " + text);
        return match.Value;
    }

    private void Received(MimeMessage message)
    {
        _messages.Enqueue(message);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }


    private void WaitUntilListening()
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(10); // polling for the listener to come up, not waiting out a guess
            }
        }

        throw new InvalidOperationException("The test SMTP server did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store(SmtpCapture capture) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            capture.Received(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
