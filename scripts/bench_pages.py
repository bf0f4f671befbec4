"""Benchmark page serving the way production runs it, and check the page cache under load.

Starts gunicorn through scripts/serve.py (production settings, 2 workers, Redis as the shared cache)
on the demo content and measures with wrk, in one run:

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
import subprocess
import sys
import tempfile
import time

from serve import Site

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


def render_cpu_ms(site, renders=200):
    output = site.manage("shell", "-c", RENDER_TIMING.format(path=UNCACHED_PATH, renders=renders))
    median, worst = output.split("render-cpu-ms", 1)[1].split()[:2]
    return float(median), float(worst)


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


def wrk(site, path, duration, connections, threads=2):
    output = subprocess.run(  # noqa: S603
        [
            WRK,
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            f"--timeout={WRK_TIMEOUT}",
            site.url + path,
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


def load_test_with_publish(site, duration, connections):
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
            site.url + SEED_PATH,
        ],
        stdout=output,
        text=True,
    )
    time.sleep(duration / 3)
    site.manage("shell", "-c", PUBLISH_CHANGE.format(marker=marker))
    status, headers, body = site.fetch(SEED_PATH)
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
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as workdir:
        site = Site(
            workdir,
            port=args.port,
            database_url=os.environ.get("DATABASE_URL"),
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
            CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
            GUNICORN_ACCESS_LOG="",
        )
        try:
            print("Preparing: migrate, demo content, collectstatic …", flush=True)
            site.prepare()
            # The static copy is the page exactly as the app renders it, so both serve the same bytes.
            # It is written before gunicorn starts: whitenoise lists the static files once, at start-up.
            target = site.static_root / STATIC_COPY
            target.parent.mkdir(parents=True, exist_ok=True)
            site.manage("shell", "-c", RENDER_SEED.format(path=SEED_PATH, target=target))
            with site.serving():
                failed = measure(site, args)
        finally:
            forget_cache_keys(site.env)
    sys.exit(1 if failed else 0)


def measure(site, args):
    """The throughput measurements and the load test; True if wrk saw an error or the change did not show."""
    static_status, _, static_body = site.fetch("/static/" + STATIC_COPY)
    site.fetch(SEED_PATH)
    status, headers, page_body = site.fetch(SEED_PATH)
    if static_status != 200 or headers.get("X-Page-Cache") != "hit" or page_body != static_body:
        raise SystemExit("the static copy, the cached page and the rendered page must be the same bytes")
    if site.fetch(UNCACHED_PATH)[1].get("X-Page-Cache") is not None:
        raise SystemExit(f"{UNCACHED_PATH} must bypass the page cache")

    print(f"\nseed page: {len(page_body):,} bytes; wrk {args.connections} connections, {args.duration} s each\n")
    results = {
        "static (whitenoise)": wrk(site, "/static/" + STATIC_COPY, args.duration, args.connections),
        "cached page": wrk(site, SEED_PATH, args.duration, args.connections),
        "uncached page": wrk(site, UNCACHED_PATH, args.duration, args.connections),
    }
    # One connection: the median is the render time itself, not time spent queueing.
    single = wrk(site, UNCACHED_PATH, args.duration, 1, threads=1)

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
    cpu_median, cpu_worst = render_cpu_ms(site)
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
    load = load_test_with_publish(site, args.load_duration, args.load_connections)
    print(
        f"{load['requests']:,} requests, {load['rps']:.0f} req/s, {load['errors']} errors; "
        f"change visible on the next request: {'yes' if load['seen'] else 'NO'} (cache: {load['cache']})"
    )
    if load["errors"]:
        print(f"errors: {load['error_details']}")
    return load["errors"] > 0 or not load["seen"] or any(r["errors"] for r in results.values())


if __name__ == "__main__":
    main()
