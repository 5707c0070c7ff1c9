#!/usr/bin/env python3
"""One Kazan instance against two behind nginx, on one PostgreSQL: requests/s of a read and a write path, and the CPU
each process group (Kazan, PostgreSQL, nginx, wrk) spends per request. The figures in docs/scaling.md come from it.

Needs: the tier-S benchmark data on PostgreSQL (dotnet run -c Release --project bench/Kazan.Bench -- --tier S
--db postgres --generate-only --pg "Host=...;Port=...;Username=postgres"), a Release build of src/Kazan
(dotnet build -c Release src/Kazan), wrk and nginx. Usage:

    scripts/scaling-bench.py --postmaster-pid PID [--seconds 15] [--connections 16] [--rounds 2]

PID is the PostgreSQL server's main process (first line of its data folder's postmaster.pid): its CPU time and its
backends' are counted as the database's. Runs are interleaved (one, two, one, two ...) so a machine busy with other work
weighs on both alike; compare the ratio in a round rather than absolute numbers.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime + stime (and the reaped children's, for a parent) of a process, in seconds; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / TICK


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return found


def tree_cpu(pid):
    """A parent's CPU with its reaped children's, plus its live children's (the database's backends, nginx's worker)."""
    return cpu_seconds(pid, children=True) + sum(cpu_seconds(c) for c in children_of(pid))


def wait_ok(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postmaster-pid", type=int, required=True)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--manifest", default=str(ROOT / "bench-data/postgres-S/manifest.json"))
    args = parser.parse_args()

    manifest = json.loads(Path(args.manifest).read_text())
    org = manifest["Organizations"][0]
    token, probe = org["Token"], org["Probe"]["Id"]
    account = org["Probe"]["AccountId"]
    work = Path(tempfile.mkdtemp(prefix="kazan-scaling-"))
    dll = ROOT / "src/Kazan/bin/Release/net10.0/Kazan.dll"
    processes = []

    def start_app(port):
        env = dict(os.environ,
                   ASPNETCORE_ENVIRONMENT="Production",
                   Kazan__RequireHttps="false",  # plain HTTP on loopback, as the bench runs
                   Kazan__PublicUrl="https://scaling.kazan.invalid",
                   Kazan__Proxy__KnownProxies="127.0.0.1",
                   Database__Provider="Postgres",
                   ConnectionStrings__Kazan=manifest["ConnectionString"],
                   Database__MigrateOnStartup="false",
                   Kazan__RateLimit__PermitsPerMinute="0",  # the load is ours
                   Kazan__DataDirectory=str(work / f"data{port}"),
                   Logging__LogLevel__Default="Warning")
        p = subprocess.Popen(["dotnet", str(dll), "--urls", f"http://127.0.0.1:{port}"], cwd=ROOT / "src/Kazan", env=env,
                             stdout=open(work / f"app{port}.log", "w"), stderr=subprocess.STDOUT)
        processes.append(p)
        wait_ok(f"http://127.0.0.1:{port}/health")
        return p

    def start_nginx(port, upstreams):
        folder = work / f"nginx{port}"
        folder.mkdir()
        os.chmod(folder, 0o755)
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        servers = "\n".join(f"server 127.0.0.1:{u};" for u in upstreams)
        (folder / "nginx.conf").write_text(f"""{user}
daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {folder}/b; proxy_temp_path {folder}/p; fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u; scgi_temp_path {folder}/s;
  upstream kazan {{ {servers} keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://kazan; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
""")
        nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
        p = subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")])
        processes.append(p)
        wait_ok(f"http://127.0.0.1:{port}/health")
        return p

    post = work / "post.lua"
    post.write_text(f"""
local n = 0
request = function()
  n = n + 1
  local body = string.format('{{"kind":"Company","name":"Ölçek %d-%d A.Ş.","city":"İzmir"}}', math.random(1, 1000000000), n)
  return wrk.format("POST", "/api/v1/accounts", {{["Content-Type"]="application/json", ["Authorization"]="Bearer {token}"}}, body)
end
""")
    read_path = f"/api/v1/opportunities/{probe}"

    def run(name, port, target, apps, nginx):
        script = ["-s", str(post)] if target == "write" else []
        url = f"http://127.0.0.1:{port}" + ("" if target == "write" else read_path)
        before = {"kazan": sum(cpu_seconds(a.pid) for a in apps), "postgres": tree_cpu(args.postmaster_pid),
                  "nginx": tree_cpu(nginx.pid) if nginx else 0.0}
        out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "--timeout", "10s",
                              "-H", f"Authorization: Bearer {token}", *script, url],
                             capture_output=True, text=True, check=True).stdout
        after = {"kazan": sum(cpu_seconds(a.pid) for a in apps), "postgres": tree_cpu(args.postmaster_pid),
                 "nginx": tree_cpu(nginx.pid) if nginx else 0.0}
        total = int(re.search(r"(\d+) requests in", out).group(1))
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = re.search(r"50%\s+(\S+)", out).group(1)
        p99 = re.search(r"99%\s+(\S+)", out).group(1)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: (.*)", out)
        cpu = {k: (after[k] - before[k]) * 1000 / max(total, 1) for k in before}
        row = (f"| {name} | {target} | {rps:,.0f} | {p50} / {p99} | {cpu['kazan']:.2f} | {cpu['postgres']:.2f} | "
               f"{cpu['nginx']:.2f} | {int(bad.group(1)) if bad else 0}{'; ' + errors.group(1) if errors else ''} |")
        print(row, flush=True)
        return rps

    try:
        a, b = start_app(5811), start_app(5812)
        one = start_nginx(5810, [5811])
        two = start_nginx(5820, [5811, 5812])
        load = os.getloadavg()
        print(f"load average before: {load[0]:.1f}; {os.cpu_count()} cores; wrk -t2 -c{args.connections} -d{args.seconds}s\n")
        # Warm-up: JIT tiers, connection pools, PostgreSQL caches on both instances.
        for port in (5811, 5812):
            subprocess.run(["wrk", "-t1", "-c4", "-d5s", "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}{read_path}"],
                           capture_output=True, check=True)
            subprocess.run(["wrk", "-t1", "-c4", "-d3s", "-s", str(post), f"http://127.0.0.1:{port}"], capture_output=True, check=True)
        print("| setup | path | req/s | latency p50 / p99 | Kazan CPU ms/req | PostgreSQL CPU ms/req | nginx CPU ms/req | errors |")
        print("|---|---|---|---|---|---|---|---|")
        ratios = {"read": [], "write": []}
        for r in range(args.rounds):
            for target in ("read", "write"):
                direct = run(f"one instance, direct (round {r + 1})", 5811, target, [a], None)
                single = run(f"one instance behind nginx (round {r + 1})", 5810, target, [a], one)
                double = run(f"two instances behind nginx (round {r + 1})", 5820, target, [a, b], two)
                ratios[target].append(double / single)
        print()
        for target, values in ratios.items():
            print(f"two / one behind nginx, {target}: " + ", ".join(f"{v:.2f}" for v in values))
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        for p in reversed(processes):
            p.terminate()  # nginx's master stops its worker on SIGTERM
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
