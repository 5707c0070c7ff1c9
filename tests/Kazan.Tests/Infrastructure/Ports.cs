using System.Net;
using System.Net.Sockets;

namespace Kazan.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port nothing listens on at the moment of asking (a child process or a test server takes it next).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
