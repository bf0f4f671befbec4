#!/usr/bin/env python
"""Accessibility, HTML validity and speed checks of every public page type, as `make audit` runs them.

The site runs as production runs it (scripts/serve.py), on the demo content in a throw-away SQLite
database. Each page in PAGES is then checked by:

- the Nu Html Checker (vnu.jar from npm): no errors;
- axe-core in Debian's Chromium through Playwright, WCAG 2.2 A/AA rules at 390, 768 and 1366 px: no violations;
- what Lighthouse does not judge, in the same browser: the HTTP status, no request to another host, our
  own JavaScript at most 10 KB and HTML + CSS + JS at most 30 KB compressed, every image below the
  first screenful loading="lazy", and no console error (a failed request shows as one) where
  Lighthouse cannot look: a form's answer, an error page;
- Lighthouse (scripts/lighthouse.py): its MINIMUM scores and REQUIRED_AUDITS.

Screenshots at 390, 768 and 1366 px, the Lighthouse reports and the server log land in audit-output/
(git-ignored). Prints a table of page × check and exits non-zero on any miss.
Needs Java 17+, /usr/bin/chromium (or CHROME_PATH), `npm ci` and the Python playwright package.
"""

import argparse
import gzip
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lighthouse
from lighthouse import CHROME_FLAGS, CHROME_PATH
from serve import ROOT, Site

OUTPUT = ROOT / "audit-output"
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# A phone, a tablet and a laptop (width: height).
SCREENSHOT_WIDTHS = {390: 844, 768: 1024, 1366: 900}

OWN_JS_BUDGET = 10 * 1024
TEXT_BUDGET = 30 * 1024
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
        return [c for c in lighthouse.MINIMUM if self.indexable or c != "seo"]

    @property
    def console_left_to_us(self):
        # Lighthouse's errors-in-console never sees a form's answer, and on an error page it has to
        # ignore every "status of" message, a broken stylesheet's along with the page's own.
        return not self.categories or self.status >= 400


# Every public page type, one each. Add a new page type here.
PAGES = [
    PublicPage("Home", "/"),
    PublicPage("Condition index", "/conditions/"),
    PublicPage("Condition", "/conditions/sciatica-back-spasms/"),
    PublicPage("Local condition", "/conditions/sciatica-back-spasms/charleston/"),
    PublicPage("Service area", "/conditions/sciatica-back-spasms/summerville/"),
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
    PublicPage("Physician index", "/physicians/"),
    PublicPage("Physician", "/physicians/morgan-example/"),
    PublicPage("Treatment index", "/treatments/"),
    PublicPage("Treatment", "/treatments/physical-therapy/"),
    PublicPage("Search results", "/search/?query=sciatica", indexable=False),
    PublicPage("Not found", "/no-such-page/", status=404, indexable=False),
    # The Spanish site (load_demo_content --spanish).
    PublicPage("Spanish home", "/es/"),
    PublicPage("Spanish condition index", "/es/condiciones/"),
    PublicPage("Spanish condition", "/es/condiciones/ciatica-espasmos-de-espalda/"),
    PublicPage("Spanish location", "/es/clinicas/charleston/"),
    PublicPage("Spanish contact", "/es/cita/"),
    PublicPage(
        "Spanish contact, sent empty",
        "/es/cita/",
        indexable=False,
        submit_form="form.appointment-form",
        submit_after_seconds=3.5,
    ),
    PublicPage("Spanish contact, request sent", "/es/cita/thanks/", indexable=False),
    PublicPage("Spanish search results", "/es/buscar/?query=ci%C3%A1tica", indexable=False),
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
        if message.get("type") != "info":
            page = files.get(urlsplit(message.get("url", "")).path, pages[0])
            errors[page.name].append(f"line {message.get('lastLine', '?')}: {message.get('message')}")
    for page in pages:
        results[page.name].record("HTML", len(errors[page.name]), not errors[page.name], errors[page.name])


def check_in_browser(pages, base_url, results):
    """axe-core, the status, the requests and the screenshots, in one Chromium; returns the HTML served."""
    from playwright.sync_api import sync_playwright

    (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
    axe_source = AXE_JS.read_text()
    documents = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME_PATH, args=CHROME_FLAGS[1:])
        for page in pages:
            result = results[page.name]
            width, height = min(SCREENSHOT_WIDTHS.items())
            # bypass_csp: axe is injected as a script, which the site's Content-Security-Policy forbids.
            context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
            tab = context.new_page()
            seen = {"request": [], "response": [], "console": [], "pageerror": []}
            for event, found in seen.items():
                tab.on(event, lambda item, found=found: found.append(item))  # Playwright can't wrap a builtin
            response = tab.goto(base_url + page.path, wait_until="load")
            if page.submit_form:
                tab.wait_for_timeout(page.submit_after_seconds * 1000)
                with tab.expect_navigation(wait_until="load") as navigation:
                    tab.locator(page.submit_form).locator("[type=submit]").click()
                response = navigation.value
            if response.status != page.status:
                result.record("status", response.status, False, [f"HTTP {response.status}, expected {page.status}"])
            documents[page.name] = response.body()
            eager = tab.evaluate(EAGER_BELOW_FOLD)
            tab.add_script_tag(content=axe_source)
            violations = {}
            for width, height in sorted(SCREENSHOT_WIDTHS.items()):
                tab.set_viewport_size({"width": width, "height": height})
                tab.screenshot(path=str(OUTPUT / "screenshots" / f"{page.slug}-{width}.png"), full_page=True)
                for violation in tab.evaluate(AXE_RUN, AXE_TAGS):
                    nodes = ", ".join(violation["nodes"][:5])
                    violations.setdefault(violation["id"], f"{violation['help']} at {width} px: {nodes}")
            result.record(
                "axe", len(violations), not violations, [f"{rule}: {text}" for rule, text in violations.items()]
            )
            check_requests(page, base_url, seen, eager, result)
            context.close()
        browser.close()
    return documents


AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then(result => result.violations.map(v => ({
        id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")),
    })))"""


# Lighthouse's offscreen-images flags such an image only when it is over 2 KB and loads before the
# page is interactive; the site wants every one of them to wait until needed.
EAGER_BELOW_FOLD = """Array.from(document.images)
    .filter(img => img.getBoundingClientRect().top > window.innerHeight && img.loading !== "lazy")
    .map(img => img.currentSrc || img.src)"""


def check_requests(page, base_url, seen, eager, result):
    """The page-weight budget, requests to other hosts, and the console where Lighthouse cannot look."""
    own = base_url + "/"
    bodies = [
        (response.request.resource_type, body_of(response))
        for response in seen["response"]
        if response.request.resource_type in TEXT_TYPES and response.url.startswith(own)
    ]
    # Sizes as a compressing server sends them: whitenoise gzips the static files, and the HTML is
    # compressed at the proxy in production.
    text_bytes = sum(len(gzip.compress(body, 6)) for _, body in bodies)
    js_bytes = sum(len(body) for kind, body in bodies if kind == "script")
    problems = []
    if js_bytes > OWN_JS_BUDGET:
        problems.append(f"{js_bytes / 1024:.1f} KB of JavaScript (budget {OWN_JS_BUDGET // 1024} KB)")
    if text_bytes > TEXT_BUDGET:
        problems.append(f"{text_bytes / 1024:.1f} KB of HTML, CSS and JS compressed (budget {TEXT_BUDGET // 1024} KB)")
    hosts = {
        f"{parts.scheme}://{parts.netloc}"
        for parts in (urlsplit(request.url) for request in seen["request"] if not request.url.startswith(own))
        if parts.scheme in {"http", "https", "ws", "wss"}
    }
    problems += [f"request to another host: {host}" for host in sorted(hosts)]
    problems += [f'below the fold but not loading="lazy": {src}' for src in eager]
    if page.console_left_to_us:
        # Chromium reports an error page's own status in the console: there, that status is expected.
        expected = (base_url + page.path, str(page.status))
        problems += [
            f"console error: {message.text}"
            for message in seen["console"]
            if message.type == "error"
            and not (page.status >= 400 and message.location.get("url") == expected[0] and expected[1] in message.text)
        ]
        problems += [f"console error: {error}" for error in seen["pageerror"]]
    result.record("budget", f"{text_bytes / 1024:.1f} KB", not problems, problems)


def body_of(response):
    try:
        return response.body()
    except Exception:  # a body the browser discarded counts as empty
        return b""


def check_lighthouse(pages, base_url, workdir, results):
    """Lighthouse, one page at a time so runs don't slow each other down."""
    reports = OUTPUT / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    for page in pages:
        results[page.name].cells.update(dict.fromkeys(lighthouse.MINIMUM, "–"))
        if page.categories:
            verdicts = lighthouse.best_run(
                base_url + page.path,
                page.categories,
                reports / page.slug,
                workdir,
                error_page=page.status >= 400,
                log=log,
            )
            for category, (score, ok, details) in verdicts.items():
                results[page.name].record(category, "?" if score is None else score, ok, details)


# --- the report -----------------------------------------------------------------------------


def print_table(pages, results, columns):
    header = ["Page", *columns]
    rows = [[page.name, *(str(results[page.name].cells.get(c, "")) for c in columns)] for page in pages]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print()


def check_prerequisites(skip_lighthouse):
    npm_files = [VNU_JAR, AXE_JS] if skip_lighthouse else [VNU_JAR, AXE_JS, lighthouse.LIGHTHOUSE_CLI]
    needs = {
        f"Chromium at {CHROME_PATH} (apt-get install -y chromium, or set CHROME_PATH)": Path(CHROME_PATH).exists(),
        "Java 17 or newer, for the Nu Html Checker": shutil.which("java"),
        "Node.js 18 or newer, for Lighthouse": skip_lighthouse or shutil.which("node"),
        "the npm packages (npm ci)": all(path.exists() for path in npm_files),
        "the Python playwright package (pip install -r requirements-audit.txt)": importlib.util.find_spec("playwright"),
    }
    missing = [need for need, found in needs.items() if not found]
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
        site = Site(workdir)
        local_page = (ROOT / "scripts" / "audit_local_page.py").read_text()
        site.prepare(local_page, log=lambda step: log(f"Preparing the site: {step}"))
        log(f"Serving {site.url} with gunicorn and production settings")
        with site.serving(OUTPUT / "server.log"):
            log("axe-core, requests and screenshots in Chromium")
            documents = check_in_browser(pages, site.url, results)
            log("Nu Html Checker")
            check_html(pages, documents, workdir, results)
            if not args.skip_lighthouse:
                log("Lighthouse")
                check_lighthouse(pages, site.url, workdir, results)

    columns = ["HTML", "axe", "budget"]
    if not args.skip_lighthouse:
        columns += list(lighthouse.MINIMUM)
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
