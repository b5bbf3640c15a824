using System.Diagnostics;
using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>
/// Debian's nginx as the reference reverse proxy: one process (no master, so nothing outlives a stop by PID),
/// keep-alive connections to the same catalog replicas the gateway balances over, round robin, no access log.
/// </summary>
internal static class Nginx
{
    public static async Task<(LocalProcess Process, Uri Address)> StartAsync(
        BackingServers infrastructure, IEnumerable<Uri> upstreams, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(infrastructure.Directory, "nginx");
        Directory.CreateDirectory(directory);
        var port = FreePort.Next();
        var servers = string.Join("\n", upstreams.Select(u => $"        server {u.Host}:{u.Port};"));
        var configuration = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configuration, $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                upstream catalog {
            {{servers}}
                    keepalive 128;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://catalog;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """, cancellationToken);
        var process = infrastructure.StartProcess("nginx", new ProcessStartInfo("nginx", ["-c", configuration, "-p", directory]));
        var address = new Uri($"http://127.0.0.1:{port}");
        await BareKestrel.WaitUntilListeningAsync(address, process, cancellationToken);
        return (process, address);
    }
}
