"""Benchmark page serving the way production runs it, and check the page cache under load.

Starts gunicorn (production settings, 2 workers, Redis as the shared cache) on the demo content and
measures with wrk, in one run:

1. the seed condition page served from the page cache;
2. the same page rendered for every request (a query string the cache does not know bypasses it);
3. the same HTML bytes served as a static file by whitenoise from the same server: the practical
   ceiling for a Python app server;
4. 32 connections for 30 s against the cached page, during which a change is published; the next
   request must show it and wrk must report no errors.

Usage: .venv/bin/python scripts/bench_pages.py [--duration 10] [--load-duration 30]
Needs wrk (apt-get install wrk) and a Redis server (REDIS_URL, default redis://127.0.0.1:6379/5).
DATABASE_URL is used when set; otherwise a throw-away SQLite file.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED_PATH = "/conditions/sciatica-back-spasms/"
STATIC_COPY = "bench/sciatica-back-spasms.html"
UNCACHED_PATH = SEED_PATH + "?bench=uncached"
WRK = shutil.which("wrk") or "wrk"
# wrk's default of 2 s counts a slow answer as an error; a load balancer waits longer than that.
WRK_TIMEOUT = "10s"
CACHED_SHARE_TARGET = 0.60
UNCACHED_MEDIAN_TARGET_MS = 15.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8231")))
    parser.add_argument("--duration", type=int, default=10, help="seconds per throughput measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for throughput")
    parser.add_argument("--load-duration", type=int, default=30, help="seconds of the load test")
    parser.add_argument("--load-connections", type=int, default=32)
    return parser.parse_args()


def environment(workdir):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}",
        GUNICORN_ACCESS_LOG="",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


RENDER_SEED = """
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("{path}")
assert response.status_code == 200, response.status_code
open("{target}", "wb").write(response.content)
"""

# CPU time per render, measured inside one process: unlike wall-clock figures it barely moves when
# other work shares the machine.
RENDER_TIMING = """
import statistics, time
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for _ in range(20):
    client.get("{path}")
samples = []
for _ in range({renders}):
    started = time.process_time()
    response = client.get("{path}")
    samples.append((time.process_time() - started) * 1000)
    assert response.status_code == 200 and "X-Page-Cache" not in response
print("render-cpu-ms", round(statistics.median(samples), 2), round(max(samples), 2))
"""

PUBLISH_CHANGE = """
from conditions.models import ConditionPage
page = ConditionPage.objects.get(slug="sciatica-back-spasms")
page.summary = "{marker} " + page.summary
page.save_revision().publish()
"""


def prepare(env, static_root):
    print("Preparing: migrate, demo content, collectstatic …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    manage(env, "collectstatic", "--noinput")
    # The static copy is the page exactly as the app renders it, so both serve the same bytes.
    target = static_root / STATIC_COPY
    target.parent.mkdir(parents=True, exist_ok=True)
    manage(env, "shell", "-c", RENDER_SEED.format(path=SEED_PATH, target=target))
    return target


def render_cpu_ms(env, renders=200):
    output = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", RENDER_TIMING.format(path=UNCACHED_PATH, renders=renders)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    median, worst = output.split("render-cpu-ms", 1)[1].split()[:2]
    return float(median), float(worst)


def start_server(env, port):
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "settings.wsgi:application",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def fetch(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def count_errors(output):
    """Failed requests in wrk's report, with its own wording of what went wrong."""
    errors, details = 0, []
    socket_errors = re.search(r"Socket errors: (connect (\d+), read (\d+), write (\d+), timeout (\d+))", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups()[1:])
        details.append(socket_errors.group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
        details.append(f"non-2xx {non_2xx.group(1)}")
    return errors, ", ".join(details)


def wrk(port, path, duration, connections, threads=2):
    output = subprocess.run(  # noqa: S603
        [
            WRK,
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            f"--timeout={WRK_TIMEOUT}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors, details = count_errors(output)
    if re.search(r"\b0 requests in", output):
        raise SystemExit(f"wrk completed no request against {path}:\n{output}")
    return {
        "error_details": details,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "median_ms": to_ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": errors,
    }


def load_test_with_publish(env, port, duration, connections):
    """wrk against the cached page while an editor publishes; the next request must show the change."""
    marker = f"Updated-{secrets.token_hex(3)}"
    output = tempfile.TemporaryFile(mode="w+")
    load = subprocess.Popen(  # noqa: S603
        [
            WRK,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            f"--timeout={WRK_TIMEOUT}",
            f"http://127.0.0.1:{port}{SEED_PATH}",
        ],
        stdout=output,
        text=True,
    )
    time.sleep(duration / 3)
    manage(env, "shell", "-c", PUBLISH_CHANGE.format(marker=marker))
    status, headers, body = fetch(port, SEED_PATH)
    seen = status == 200 and marker.encode() in body
    load.wait(timeout=duration + 60)
    output.seek(0)
    text = output.read()
    errors, details = count_errors(text)
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    return {
        "seen": seen,
        "cache": headers.get("X-Page-Cache"),
        "errors": errors,
        "error_details": details,
        "requests": requests,
        "rps": rps,
    }


def forget_cache_keys(env):
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    for key in client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*"):
        client.delete(key)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = environment(workdir)
    static_copy = prepare(env, ROOT / "staticfiles")
    server = start_server(env, args.port)
    try:
        static_status, _, static_body = fetch(args.port, "/static/" + STATIC_COPY)
        fetch(args.port, SEED_PATH)
        status, headers, page_body = fetch(args.port, SEED_PATH)
        uncached_path = UNCACHED_PATH
        if static_status != 200 or headers.get("X-Page-Cache") != "hit" or page_body != static_body:
            raise SystemExit("the static copy, the cached page and the rendered page must be the same bytes")
        if fetch(args.port, uncached_path)[1].get("X-Page-Cache") is not None:
            raise SystemExit(f"{uncached_path} must bypass the page cache")

        print(f"\nseed page: {len(page_body):,} bytes; wrk {args.connections} connections, {args.duration} s each\n")
        results = {
            "static (whitenoise)": wrk(args.port, "/static/" + STATIC_COPY, args.duration, args.connections),
            "cached page": wrk(args.port, SEED_PATH, args.duration, args.connections),
            "uncached page": wrk(args.port, uncached_path, args.duration, args.connections),
        }
        # One connection: the median is the render time itself, not time spent queueing.
        single = wrk(args.port, uncached_path, args.duration, 1, threads=1)

        static_rps = results["static (whitenoise)"]["rps"]
        print(f"{'':22}{'req/s':>10}{'median ms':>12}{'p99 ms':>10}{'errors':>8}{'of static':>11}")
        for name, result in results.items():
            print(
                f"{name:22}{result['rps']:>10.0f}{result['median_ms']:>12.2f}{result['p99_ms']:>10.2f}"
                f"{result['errors']:>8}{result['rps'] / static_rps:>10.0%}"
            )
            if result["errors"]:
                print(f"{'':22}errors: {result['error_details']}")
        cached_share = results["cached page"]["rps"] / static_rps
        print(f"\nuncached render, one connection: median {single['median_ms']:.2f} ms, p99 {single['p99_ms']:.2f} ms")
        cpu_median, cpu_worst = render_cpu_ms(env)
        print(f"uncached render, CPU time in one process: median {cpu_median:.2f} ms, max {cpu_worst:.2f}")
        print(
            f"cached / static = {cached_share:.0%} (target ≥ {CACHED_SHARE_TARGET:.0%}): "
            f"{'met' if cached_share >= CACHED_SHARE_TARGET else 'NOT met'}"
        )
        print(
            f"uncached median = {single['median_ms']:.2f} ms (target ≤ {UNCACHED_MEDIAN_TARGET_MS:.0f} ms): "
            f"{'met' if single['median_ms'] <= UNCACHED_MEDIAN_TARGET_MS else 'NOT met'}"
        )
        print(
            f"cached / uncached = {results['cached page']['rps'] / results['uncached page']['rps']:.1f}×",
            flush=True,
        )

        print(f"\nload test: {args.load_connections} connections for {args.load_duration} s, publishing midway …")
        load = load_test_with_publish(env, args.port, args.load_duration, args.load_connections)
        print(
            f"{load['requests']:,} requests, {load['rps']:.0f} req/s, {load['errors']} errors; "
            f"change visible on the next request: {'yes' if load['seen'] else 'NO'} (cache: {load['cache']})"
        )
        if load["errors"]:
            print(f"errors: {load['error_details']}")
        failed = load["errors"] > 0 or not load["seen"] or any(r["errors"] for r in results.values())
    finally:
        stop_server(server)
        forget_cache_keys(env)
        static_copy.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
