#!/usr/bin/env python
"""Time the site search over 500 generated condition pages, on SQLite and on PostgreSQL.

Each database is a throw-away test database (the SQLite one a temporary file, PostgreSQL's
test_bench_search), built by migrating and loading the demo site plus the generated pages, and
dropped afterwards. Searches go through Django's test client, so the timings include the whole
request: query cleaning, the search, promotions, the query counts and the template.

Django settles on one database per process, so each database has a process of its own. They build
their databases side by side, then time their searches one after the other, so that a measurement
never shares the CPU with the other database's setup.

    .venv/bin/python scripts/bench_search.py                 # both databases
    .venv/bin/python scripts/bench_search.py --database sqlite

PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/bench_search)
and skipped, with a note, when it does not answer.
"""

import argparse
import io
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = 500
ROUNDS = 12
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_search"

# What visitors type: found in titles, in body text only, by word form, by word start, nothing at all
# (which also tries the fallbacks), and input full of query syntax.
QUERIES = [
    "sciatica",
    "spasm",
    "knee pain",
    "back spasms charleston",
    "potassium",
    "torn rotator cuff",
    "sciatic",
    "swelling after running",
    "zebra",
    '"shoulder AND (pain OR -stiff*',
]

BODY_PARTS = ["knee", "hip", "shoulder", "elbow", "wrist", "ankle", "foot", "neck", "back", "spine", "hand", "heel"]
KINDS = ["tendinitis", "bursitis", "arthritis", "sprain", "strain", "fracture", "tear", "impingement", "instability"]
QUALIFIERS = ["chronic", "acute", "sports", "overuse", "degenerative", "traumatic", "recurrent", "juvenile"]
SYMPTOMS = ["pain when moving", "swelling", "stiffness in the morning", "weakness", "clicking", "numbness", "bruising"]
CAUSES = ["overuse", "a fall", "running on hard ground", "age-related wear", "a sports injury", "poor posture"]
TREATMENTS = ["rest and ice", "physical therapy", "anti-inflammatory medication", "a steroid injection", "surgery"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    databases = args.database or ["sqlite", "postgresql"]
    if args.child:
        run_child(databases[0])
        return

    started = time.perf_counter()
    children = [Child(database) for database in databases]
    for child in children:
        child.wait_until_ready()
    rows = [child.measure() for child in children]
    print_table(rows)
    print(
        f"\n{PAGES} condition pages, {len(QUERIES)} queries × {ROUNDS} rounds per database; "
        f"{time.perf_counter() - started:.0f} s in all."
    )


class Child:
    """The process benchmarking one database; it talks to this one in lines starting with MARK."""

    MARK = "bench:"

    def __init__(self, database):
        self.database = database
        self.skipped = ""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test"}
        env.pop("DATABASE_URL", None)
        if database == "postgresql":
            env["DATABASE_URL"] = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
            if not postgres_answers(env["DATABASE_URL"]):
                self.skipped = f"PostgreSQL not reachable at {env['DATABASE_URL']}"
                return
        # The child's log goes to a file: a pipe nobody reads would fill up and stall it.
        self.log = tempfile.TemporaryFile("w+")
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "--database", database]
        self.process = subprocess.Popen(  # noqa: S603 (this script, with fixed arguments)
            command, env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
        )

    def receive(self):
        for line in self.process.stdout:
            if line.startswith(self.MARK):
                return line.removeprefix(self.MARK).strip()
        return None

    def fail(self):
        self.process.wait()
        self.log.seek(0)
        sys.stderr.write(self.log.read())
        self.skipped = "failed, see the error above"

    def wait_until_ready(self):
        if not self.skipped and self.receive() != "ready":
            self.fail()

    def measure(self):
        if self.skipped:
            return {"database": self.database, "skipped": self.skipped}
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        result = self.receive()
        self.process.wait()
        if result is None or self.process.returncode != 0:
            self.fail()
            return {"database": self.database, "skipped": self.skipped}
        return json.loads(result)


def postgres_answers(url):
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def run_child(database):
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.INFO)  # page-publishing chatter would only slow the build down
    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            # A file, as in production, rather than the in-memory database tests use.
            settings.DATABASES["default"]["TEST"] = {"NAME": str(Path(tmp) / "bench.sqlite3")}
        # The pages are indexed in one pass once they are all built, not one by one as they are saved.
        settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import setup_test_environment

        started = time.perf_counter()
        setup_test_environment()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            build_site()
            call_command("update_index", stdout=io.StringIO())
            setup_seconds = time.perf_counter() - started
            print(Child.MARK, "ready", flush=True)
            sys.stdin.readline()
            timings = time_searches()
            label = database_label(connection)
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    row = {
        "database": label,
        "setup": setup_seconds,
        "searches": len(timings),
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[-1],
        "max": max(timings),
    }
    print(Child.MARK, json.dumps(row), flush=True)


def database_label(connection):
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def build_site():
    from django.core.management import call_command
    from django.db import transaction
    from wagtail.rich_text import RichText
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from conditions.models import ConditionIndexPage, ConditionPage

    call_command("load_demo_content", stdout=io.StringIO())
    index = ConditionIndexPage.objects.get()
    rng = random.Random(500)  # noqa: S311 (made-up page text, the same on every run)
    # Wagtail's reference index (what links to what) plays no part in search.
    with transaction.atomic(), disable_reference_index_auto_update():
        for number in range(PAGES):
            part, kind, qualifier = rng.choice(BODY_PARTS), rng.choice(KINDS), rng.choice(QUALIFIERS)
            title = f"{qualifier} {part} {kind}".title()
            body = [
                ("symptoms", {"heading": "Symptoms", "intro": "", "symptoms": rng.sample(SYMPTOMS, 3)}),
                (
                    "causes",
                    {
                        "heading": "Causes",
                        "intro": "",
                        "causes": [
                            {"name": cause.capitalize(), "explanation": f"{cause.capitalize()} can strain the {part}."}
                            for cause in rng.sample(CAUSES, 3)
                        ],
                    },
                ),
                (
                    "treatment",
                    {
                        "heading": "Treatment",
                        "intro": f"Most {kind} of the {part} improves without surgery.",
                        "options": [
                            {"name": option.capitalize(), "kind": "other", "explanation": f"We may suggest {option}."}
                            for option in rng.sample(TREATMENTS, 3)
                        ],
                    },
                ),
                (
                    "text_section",
                    {
                        "heading": f"Living with {kind}",
                        "text": RichText(f"<p>Patients in Charleston with {part} {kind} usually return to sport.</p>"),
                    },
                ),
            ]
            index.add_child(
                instance=ConditionPage(
                    title=title,
                    slug=f"condition-{number}",
                    summary=f"{title}: {kind} of the {part}, with {rng.choice(SYMPTOMS)}.",
                    other_names=f"{part} {rng.choice(KINDS)}",
                    body=body,
                )
            )


def time_searches():
    from django.test import Client

    client = Client()
    for query in QUERIES:  # warm caches and connections; not measured
        client.get("/search/", {"query": query})
    timings = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            response = client.get("/search/", {"query": query})
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"/search/?query={query!r} answered {response.status_code}")
    return timings


def print_table(rows):
    print(f"{'Database':<18} {'Setup s':>8} {'Searches':>9} {'Median ms':>10} {'95th pct ms':>12} {'Max ms':>8}")
    for row in rows:
        if "skipped" in row:
            print(f"{row['database']:<18} skipped: {row['skipped']}")
            continue
        timings = f"{row['median']:>10.1f} {row['p95']:>12.1f} {row['max']:>8.1f}"
        print(f"{row['database']:<18} {row['setup']:>8.0f} {row['searches']:>9} {timings}")


if __name__ == "__main__":
    main()
