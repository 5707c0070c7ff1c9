using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no TCP peer: a request's <see cref="Header"/> stands for the address it came from
/// (set before Kazan's own middleware, so forwarded headers and throttles see it as a real connection's address).
/// Register with <c>services.AddTransient&lt;IStartupFilter, PeerAddress&gt;()</c>.
/// </summary>
public sealed class PeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, then) =>
        {
            if (http.Request.Headers.TryGetValue(Header, out var peer))
            {
                http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            return then(http);
        });
        next(app);
    };
}
