using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// nginx (the Debian package) as the reverse proxy in front of Kazan instances, configured as docs/operations.md
/// says: TLS ends at the proxy (a self-signed certificate made here), requests go round robin to the instances over
/// plain HTTP with <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> set, and the interactive pages' connection
/// (<c>/_blazor</c>, negotiation then websocket) goes to one instance per client address. It runs as a child
/// process of the test (<c>daemon off</c>, an unprivileged port, pid, logs and buffers in a folder of its own), not
/// as a system service. Each answer carries <c>X-Kazan-Upstream</c>: the instance that served it.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string UpstreamHeader = "X-Kazan-Upstream";

    private readonly Process _process;
    private readonly string _folder;
    private readonly string _certificateHash;

    private NginxProxy(Process process, string folder, int port, string certificateHash)
    {
        _process = process;
        _folder = folder;
        Address = new Uri($"https://127.0.0.1:{port}");
        _certificateHash = certificateHash;
    }

    /// <summary>The proxy's address, as users reach Kazan (give it to the instances as <c>Kazan:PublicUrl</c>).</summary>
    public Uri Address { get; }

    /// <summary>The nginx binary (<c>/usr/sbin</c> is not on every user's PATH), or null when it is not installed.</summary>
    public static string? Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "nginx"))
            .FirstOrDefault(File.Exists);

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts nginx on <paramref name="port"/> in front of <paramref name="upstreams"/> and waits until <c>/health</c> answers through it.</summary>
    public static async Task<NginxProxy> StartAsync(int port, IReadOnlyList<Uri> upstreams)
    {
        var executable = Executable ?? throw new InvalidOperationException("nginx is not installed (apt-get install nginx).");
        var folder = Directory.CreateTempSubdirectory("kazan-nginx-").FullName;

        // Run by root, nginx's workers drop to an unprivileged user: they must be able to reach the buffer folders.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var hash = WriteCertificate(folder);
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(folder, port, upstreams), Ct);

        var process = Process.Start(new ProcessStartInfo(executable, ["-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new NginxProxy(process, folder, port, hash);

        using var client = proxy.Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return proxy;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, Ct);
        }

        var log = proxy.ErrorLog;
        await proxy.DisposeAsync();
        throw new InvalidOperationException($"nginx did not answer on port {port}:\n{log}");
    }

    /// <summary>A client of the proxy that trusts its certificate (and no other), keeps no cookies and follows no redirects.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), _certificateHash, StringComparison.Ordinal),
        },
    })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // the master and its worker
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string WriteCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "proxy.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "proxy.key"), key.ExportPkcs8PrivateKeyPem());
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    private static string Config(string folder, int port, IReadOnlyList<Uri> upstreams)
    {
        // As root, say who the workers run as: Debian has no "nobody" group, nginx's built-in default.
        var user = Environment.UserName == "root" ? "user nobody nogroup;" : "";
        var servers = string.Join("\n", upstreams.Select(u => $"        server {u.Host}:{u.Port};"));
        return $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                client_max_body_size 300m;

                # Websockets (the interactive pages) get "Connection: upgrade"; other requests keep the upstream connection open.
                map $http_upgrade $connection_upgrade { default upgrade; '' ''; }

                upstream kazan {
            {{servers}}
                    keepalive 32;
                }

                # The interactive pages' connection negotiates, then opens its websocket: both must reach one instance.
                upstream kazan_circuits {
                    ip_hash;
            {{servers}}
                }

                server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_certificate {{folder}}/proxy.crt;
                    ssl_certificate_key {{folder}}/proxy.key;

                    location / {
                        proxy_pass http://kazan;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        add_header {{UpstreamHeader}} $upstream_addr always;
                    }

                    location /_blazor {
                        proxy_pass http://kazan_circuits;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                    }
                }
            }
            """;
    }
}
