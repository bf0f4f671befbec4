#!/usr/bin/env python
"""Accessibility, HTML validity and speed checks of every public page type, as `make audit` runs them.

The site runs as it would in production (settings.production behind gunicorn, whitenoise serving the
collected static files) on the demo content, in a throw-away SQLite database, on loopback only.
Each page in PAGES is then checked by:

- the Nu Html Checker (vnu.jar from npm): no errors;
- axe-core, injected through Playwright into Debian's Chromium, with the WCAG 2.2 A/AA rules: no violations;
- a page-weight budget measured in the same browser: our own JavaScript at most 10 KB, HTML + CSS + JS at
  most 50 KB compressed, no request to another host, no failed request and no console error;
- Lighthouse (npm, pinned), mobile defaults: the minimum scores in LIGHTHOUSE_MINIMUM.

Full-page screenshots at 375 px and 1280 px, the Lighthouse reports and the server log land in
audit-output/ (git-ignored). Prints a table of page × check and exits non-zero on any miss.

Needs Java 17+, /usr/bin/chromium (or CHROME_PATH), `npm ci` and the Python playwright package.
"""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "audit-output"
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PORTS = range(8100, 8200)

# Without the background-networking flags Chromium tries to reach Google's services at every start.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LIGHTHOUSE_MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE_RUNS = 3  # at most, and only while a page misses a minimum
ERROR_PAGE_LIGHTHOUSE_CONFIG = {
    "extends": "lighthouse:default",
    "audits": [
        {
            "path": "errors-in-console",
            "options": {
                "ignoredPatterns": ["ERR_BLOCKED_BY_CLIENT.Inspector", "the server responded with a status of"],
            },
        }
    ],
}
SCREENSHOT_WIDTHS = {375: 812, 1280: 900}

OWN_JS_BUDGET = 10 * 1024
TEXT_BUDGET = 50 * 1024
TEXT_TYPES = {"document", "stylesheet", "script", "fetch", "xhr"}


@dataclass
class PublicPage:
    """One public page type to audit."""

    name: str
    path: str
    status: int = 200
    # Pages that ask search engines not to index them (robots noindex) cannot pass Lighthouse's SEO check.
    indexable: bool = True
    # A form to send empty, to check what a patient sees after a mistake: the error summary and the
    # messages tied to each field. The form refuses posts sooner than a person could fill it in, so the
    # browser waits that long first. Lighthouse only loads pages, so it has no part in such a check.
    submit_form: str = ""
    submit_after_seconds: float = 0

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def categories(self):
        if self.submit_form:
            return []
        return [c for c in LIGHTHOUSE_MINIMUM if self.indexable or c != "seo"]


# Every public page type, one each. Add a new page type here.
PAGES = [
    PublicPage("Home", "/"),
    PublicPage("Condition index", "/conditions/"),
    PublicPage("Condition", "/conditions/sciatica-back-spasms/"),
    PublicPage("Local condition", "/conditions/sciatica-back-spasms/charleston/"),
    PublicPage("Contact", "/contact/"),
    PublicPage(
        "Contact, sent empty",
        "/contact/",
        indexable=False,
        submit_form="form.appointment-form",
        submit_after_seconds=3.5,
    ),
    PublicPage("Contact, request sent", "/contact/thanks/", indexable=False),
    PublicPage("Location index", "/locations/"),
    PublicPage("Location", "/locations/charleston/"),
    PublicPage("Search results", "/search/?query=sciatica", indexable=False),
    PublicPage("Not found", "/no-such-page/", status=404, indexable=False),
]


@dataclass
class Result:
    """What the checks found on one page: a cell per check for the table, and the details of each miss."""

    cells: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    failed: bool = False

    def record(self, check, cell, ok, details=()):
        self.cells[check] = f"{cell}" if ok else f"{cell} ✗"
        if not ok:
            self.failed = True
            self.problems.extend(f"{check}: {line}" for line in details)


STARTED = time.monotonic()


def log(message):
    print(f"[audit {time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


# --- the site -------------------------------------------------------------------------------


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            # As gunicorn binds: a port left in TIME_WAIT by an earlier run is free to use.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port in {PORTS.start}-{PORTS.stop - 1} on 127.0.0.1.")


def site_environment(workdir, base_url):
    """Production settings, with only what a loopback check needs changed, and a throw-away database."""
    static_root = workdir / "static"
    # settings.production takes STATIC_ROOT from base.py; a one-line module points it at the temp dir.
    (workdir / "audit_settings.py").write_text(
        f"from settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    host = urlsplit(base_url).hostname
    env.update(
        DJANGO_SETTINGS_MODULE="audit_settings",
        PYTHONPATH=f"{workdir}{os.pathsep}{ROOT}",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=f"{host},localhost",
        DATABASE_URL=f"sqlite:///{workdir / 'audit.sqlite3'}",
        WAGTAILADMIN_BASE_URL=base_url,
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    completed = subprocess.run(  # noqa: S603 - our own fixed commands, no shell
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed.")


def start_server(env, port, log_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_file = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        [
            str(gunicorn),
            "settings.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--access-logfile=-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):  # noqa: S310 - loopback
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer on port {port} within 30 s; see {log_path}.")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- the checks -----------------------------------------------------------------------------


def check_html(pages, documents, workdir, results):
    """Nu Html Checker over the HTML the browser received for each page, in one Java run."""
    html_dir = workdir / "html"
    html_dir.mkdir()
    files = {}
    for page in pages:
        path = html_dir / f"{page.slug}.html"
        path.write_bytes(documents.get(page.name, b""))
        files[str(path.resolve())] = page
    completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [shutil.which("java"), "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise SystemExit(f"The Nu Html Checker gave no report:\n{completed.stdout}\n{completed.stderr}") from None
    errors = {page.name: [] for page in pages}
    for message in messages:
        if message.get("type") == "info":
            continue
        page = files.get(urlsplit(message.get("url", "")).path)
        name = page.name if page else pages[0].name
        errors[name].append(f"line {message.get('lastLine', '?')}: {message.get('message')}")
    for page in pages:
        found = errors[page.name]
        results[page.name].record("HTML", len(found), not found, found)


def check_in_browser(pages, base_url, results):
    """axe-core's WCAG 2.2 A/AA rules, the page-weight budget and the screenshots, in one Chromium.

    Returns the HTML each page was served, for the Nu Html Checker.
    """
    from playwright.sync_api import sync_playwright

    origin = base_url.rstrip("/")
    screenshots = OUTPUT / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    axe_source = AXE_JS.read_text()
    documents = {}
    (narrow, narrow_height), *wider = sorted(SCREENSHOT_WIDTHS.items())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME_PATH, args=CHROME_FLAGS[1:])
        try:
            for page_type in pages:
                result = results[page_type.name]
                # bypass_csp: axe is injected as a script, which the site's Content-Security-Policy forbids.
                context = browser.new_context(viewport={"width": narrow, "height": narrow_height}, bypass_csp=True)
                tab = context.new_page()
                traffic = Traffic(origin, tab)
                response = tab.goto(origin + page_type.path, wait_until="load")
                if page_type.submit_form:
                    response = send_empty(tab, page_type)
                if response.status != page_type.status:
                    result.record(
                        "status", response.status, False, [f"HTTP {response.status}, expected {page_type.status}"]
                    )
                documents[page_type.name] = response.body()
                violations = {}
                for width, height in [(narrow, narrow_height), *wider]:
                    tab.set_viewport_size({"width": width, "height": height})
                    tab.screenshot(path=str(screenshots / f"{page_type.slug}-{width}.png"), full_page=True)
                    if width == narrow:
                        tab.add_script_tag(content=axe_source)
                        traffic.settle()
                        traffic.judge(page_type, result, tab.evaluate(IMAGES_BELOW_STANDARD))
                    for violation in tab.evaluate(AXE_RUN, AXE_TAGS):
                        nodes = ", ".join(violation["nodes"][:5])
                        violations.setdefault(violation["id"], f"{violation['help']} at {width} px: {nodes}")
                context.close()
                details = [f"{rule}: {text}" for rule, text in violations.items()]
                result.record("axe", len(violations), not violations, details)
        finally:
            browser.close()
    return documents


def send_empty(tab, page_type):
    form = tab.locator(page_type.submit_form)
    tab.wait_for_timeout(page_type.submit_after_seconds * 1000)
    with tab.expect_navigation(wait_until="load") as navigation:
        form.locator("[type=submit]").click()
    return navigation.value


AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then(result => result.violations.map(v => ({
        id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")),
    })))"""

# Images must not shift the layout (width and height given) and must wait until needed when they
# start below the first screenful.
IMAGES_BELOW_STANDARD = """Array.from(document.images).flatMap(img => {
    const problems = [];
    const name = img.currentSrc || img.src;
    if (!img.hasAttribute("width") || !img.hasAttribute("height")) problems.push(`no width and height: ${name}`);
    if (img.getBoundingClientRect().top > window.innerHeight && img.loading !== "lazy")
        problems.push(`below the fold but not loading="lazy": ${name}`);
    return problems;
})"""


class Traffic:
    """Every request a page makes: its own bytes, third-party hosts, failures and console errors."""

    def __init__(self, origin, tab):
        self.origin = origin
        self.responses = []
        self.third_party = set()
        self.failed = []
        self.console_errors = []
        tab.on("request", self.on_request)
        tab.on("response", lambda response: self.responses.append(response))
        tab.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        tab.on("console", lambda msg: msg.type == "error" and self.console_errors.append((msg.text, msg.location)))
        tab.on("pageerror", lambda error: self.console_errors.append((str(error), {})))

    def on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and not request.url.startswith(self.origin + "/"):
            self.third_party.add(f"{parts.scheme}://{parts.netloc}")

    def settle(self):
        self.bodies = []
        for response in self.responses:
            if response.request.resource_type not in TEXT_TYPES or not response.url.startswith(self.origin + "/"):
                continue
            try:
                body = response.body()
            except Exception:  # a body the browser discarded counts as empty
                body = b""
            self.bodies.append((response.request.resource_type, response.url, response.status, body))

    def judge(self, page_type, result, image_problems):
        # Sizes as a compressing server sends them: whitenoise gzips the static files, and the HTML is
        # compressed at the proxy in production.
        text_bytes = sum(len(gzip.compress(body, 6)) for _, _, _, body in self.bodies)
        js_bytes = sum(len(body) for kind, _, _, body in self.bodies if kind == "script")
        expected_url = self.origin + page_type.path
        bad_status = [
            f"HTTP {status} for {url}"
            for _, url, status, _ in self.bodies
            if status >= 400 and not (url == expected_url and status == page_type.status)
        ]
        console = [
            text
            for text, location in self.console_errors
            if not (page_type.status >= 400 and location.get("url") == expected_url and str(page_type.status) in text)
        ]
        problems = []
        if js_bytes > OWN_JS_BUDGET:
            problems.append(f"{js_bytes / 1024:.1f} KB of JavaScript (budget {OWN_JS_BUDGET // 1024} KB)")
        if text_bytes > TEXT_BUDGET:
            problems.append(
                f"{text_bytes / 1024:.1f} KB of HTML, CSS and JS compressed (budget {TEXT_BUDGET // 1024} KB)"
            )
        problems += [f"request to another host: {host}" for host in sorted(self.third_party)]
        problems += [f"failed request: {failure}" for failure in self.failed]
        problems += bad_status
        problems += [f"console error: {text}" for text in console]
        problems += image_problems
        result.record("budget", f"{text_bytes / 1024:.1f} KB", not problems, problems)


def check_lighthouse(pages, base_url, workdir, results):
    """Lighthouse, mobile defaults, one page at a time so runs don't slow each other down."""
    reports = OUTPUT / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    for page in pages:
        result = results[page.name]
        if not page.categories:
            result.cells.update(dict.fromkeys(LIGHTHOUSE_MINIMUM, "–"))
            continue
        runs = [run_lighthouse(page, base_url, reports / f"{page.slug}-run1", workdir)]
        while misses(page, best(page, runs)[0]) and len(runs) < LIGHTHOUSE_RUNS:
            # The performance score moves with whatever else the machine is doing (Chromium's own
            # start-up shows up as blocking time even on a page without JavaScript): a miss gets
            # another run, and the best run counts, as with Lighthouse CI's several runs.
            log(f"Lighthouse: {page.name} missed a minimum {runs[-1][0]}; run {len(runs) + 1} of {LIGHTHOUSE_RUNS}")
            runs.append(run_lighthouse(page, base_url, reports / f"{page.slug}-run{len(runs) + 1}", workdir))
        scores, failures, output_base = best(page, runs)
        for suffix in (".report.json", ".report.html"):
            kept = output_base.with_name(output_base.name + suffix)
            if kept.exists():
                kept.replace(reports / f"{page.slug}{suffix}")
        for leftover in reports.glob(f"{page.slug}-run*"):
            leftover.unlink()
        for category in LIGHTHOUSE_MINIMUM:
            if category not in page.categories:
                result.cells[category] = "–"
                continue
            score = scores.get(category)
            ok = score is not None and score >= LIGHTHOUSE_MINIMUM[category]
            result.record(category, "?" if score is None else score, ok, failures.get(category, ["no score"]))


def misses(page, scores):
    return [c for c in page.categories if scores.get(c, 0) < LIGHTHOUSE_MINIMUM[c]]


def best(page, runs):
    """The run with the fewest misses, then the highest total score."""
    return min(runs, key=lambda run: (len(misses(page, run[0])), -sum(run[0].values())))


def run_lighthouse(page, base_url, output_base, workdir):
    command = [
        "node",
        str(LIGHTHOUSE_CLI),
        base_url + page.path,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={output_base}",
        f"--only-categories={','.join(page.categories)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        # The report's full-page screenshot costs a second a page; audit-output/ has better ones.
        "--disable-full-page-screenshot",
    ]
    if page.status >= 400:
        # Lighthouse refuses an error status by default, and Chromium logs the document's own status as
        # a console error; here that status is the page under test. Any other failed request on the
        # page is still caught by the budget check.
        config = workdir / "lighthouse-error-page.json"
        config.write_text(json.dumps(ERROR_PAGE_LIGHTHOUSE_CONFIG))
        command += ["--ignore-status-code", f"--config-path={config}"]
    env = {**os.environ, "CHROME_PATH": CHROME_PATH, "TMPDIR": str(workdir)}
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=180
        )
    except subprocess.TimeoutExpired:
        return {}, {c: ["Lighthouse took longer than 180 s"] for c in page.categories}, output_base
    report_path = output_base.with_name(output_base.name + ".report.json")
    if completed.returncode != 0 or not report_path.exists():
        error = f"Lighthouse failed: {completed.stderr.strip()[-500:]}"
        return {}, {c: [error] for c in page.categories}, output_base
    report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        error = f"Lighthouse: {report['runtimeError'].get('message', 'runtime error')}"
        return {}, {c: [error] for c in page.categories}, output_base
    scores, failures = {}, {}
    for category_id in page.categories:
        category = report["categories"][category_id]
        if category["score"] is None:
            continue
        scores[category_id] = round(category["score"] * 100)
        failures[category_id] = [
            describe_audit(report["audits"][ref["id"]])
            for ref in category["auditRefs"]
            if ref["weight"] > 0 and report["audits"][ref["id"]]["score"] not in (None, 1)
        ]
    return scores, failures, output_base


def describe_audit(audit):
    value = f", {audit['displayValue']}" if audit.get("displayValue") else ""
    return f"{audit['id']}: {audit['title']} (score {audit['score']}{value})"


# --- the report -----------------------------------------------------------------------------


def print_table(pages, results, columns):
    header = ["Page", *columns]
    rows = [[page.name, *(str(results[page.name].cells.get(c, "")) for c in columns)] for page in pages]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print()


def check_prerequisites(skip_lighthouse):
    missing = []
    if not Path(CHROME_PATH).exists():
        missing.append(f"Chromium at {CHROME_PATH} (apt-get install -y chromium, or set CHROME_PATH)")
    if not shutil.which("java"):
        missing.append("Java 17 or newer, for the Nu Html Checker")
    if not skip_lighthouse and not shutil.which("node"):
        missing.append("Node.js 18 or newer, for Lighthouse")
    if not VNU_JAR.exists() or not AXE_JS.exists() or (not skip_lighthouse and not LIGHTHOUSE_CLI.exists()):
        missing.append("the npm packages (npm ci)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the Python playwright package (pip install -r requirements-audit.txt)")
    if missing:
        raise SystemExit("The audit needs: " + "; ".join(missing))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="audit only the pages whose name contains this text")
    parser.add_argument("--skip-lighthouse", action="store_true", help="leave out Lighthouse (quicker)")
    args = parser.parse_args()
    check_prerequisites(args.skip_lighthouse)

    pages = [p for p in PAGES if not args.only or args.only.lower() in p.name.lower()]
    if not pages:
        raise SystemExit(f"No page name contains {args.only!r}.")
    if not args.only:
        # Nothing left over from pages that have since left the list.
        for folder in ("screenshots", "lighthouse"):
            shutil.rmtree(OUTPUT / folder, ignore_errors=True)
    OUTPUT.mkdir(exist_ok=True)
    results = {page.name: Result() for page in pages}
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="site-audit-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = site_environment(workdir, base_url)
        log("Preparing the site: migrate")
        manage(env, "migrate", "--noinput")
        log("Preparing the site: demo content")
        manage(env, "load_demo_content")
        manage(env, "shell", "--command", (ROOT / "scripts" / "audit_local_page.py").read_text())
        log("Preparing the site: collectstatic")
        manage(env, "collectstatic", "--noinput")
        log(f"Serving {base_url} with gunicorn and production settings")
        server = start_server(env, port, OUTPUT / "server.log")
        try:
            log("axe-core, page weight and screenshots in Chromium")
            documents = check_in_browser(pages, base_url, results)
            log("Nu Html Checker")
            check_html(pages, documents, workdir, results)
            if not args.skip_lighthouse:
                log("Lighthouse")
                check_lighthouse(pages, base_url, workdir, results)
        finally:
            stop_server(server)

    columns = ["HTML", "axe", "budget"]
    if not args.skip_lighthouse:
        columns += list(LIGHTHOUSE_MINIMUM)
    print_table(pages, results, columns)
    failed = [page for page in pages if results[page.name].failed]
    for page in failed:
        print(f"{page.name} ({page.path}):")
        for problem in results[page.name].problems:
            print(f"  - {problem}")
    print(f"\nScreenshots and reports: {OUTPUT.relative_to(ROOT)}/  ({time.monotonic() - started:.0f} s)")
    if failed:
        print(f"FAILED: {len(failed)} of {len(pages)} pages missed a check.")
        return 1
    print(f"PASSED: all {len(pages)} pages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
