"""Lighthouse (npm, pinned) against one page, as the page audit runs it: mobile defaults, Debian's Chromium.

`best_run` answers {category: (score, ok, details)}: ok when the score reaches MINIMUM and none of
REQUIRED_AUDITS failed; details name the audits that cost points. The performance score moves with
whatever else the machine is doing (Chromium's own start-up shows up as blocking time even on a page
without JavaScript), so a miss gets another run, up to RUNS, and the best run counts, as with
Lighthouse CI's several runs. Its JSON and HTML reports are the ones kept.
"""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_CLI = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's services at every start.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
).split()

MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Diagnostics that weigh nothing in the performance score, which the site holds to all the same:
# an image with no width and height shifts the layout.
REQUIRED_AUDITS = {"unsized-images"}
RUNS = 3  # at most, and only while a page misses a minimum
TIMEOUT = 180
# On an error page Chromium logs the document's own status as a console error; that status is the
# page under test. The console of such a page is left to the audit's own browser check.
ERROR_PAGE_CONFIG = {
    "extends": "lighthouse:default",
    "audits": [
        {
            "path": "errors-in-console",
            "options": {
                "ignoredPatterns": ["ERR_BLOCKED_BY_CLIENT.Inspector", "the server responded with a status of"]
            },
        }
    ],
}


def best_run(url, categories, report_base, workdir, *, error_page=False, log=print):
    """The best of up to RUNS runs; its reports are written to report_base + .report.json / .report.html."""
    kept = None
    for run in range(1, RUNS + 1):
        verdicts = run_once(url, categories, workdir, error_page)
        if kept is None or rank(verdicts) < rank(kept):
            kept = verdicts
            for suffix in (".report.json", ".report.html"):
                report = workdir / f"lighthouse{suffix}"
                if report.exists():
                    report.replace(report_base.with_name(report_base.name + suffix))
        if not misses(kept) or run == RUNS:
            return kept
        scores = {category: score for category, (score, _, _) in verdicts.items()}
        why = "; ".join(verdicts[misses(verdicts)[0]][2][:2]) if misses(verdicts) else ""
        log(f"Lighthouse: {url} missed a minimum {scores} ({why}); run {run + 1} of {RUNS}")


def misses(verdicts):
    return [category for category, (_, ok, _) in verdicts.items() if not ok]


def rank(verdicts):
    """Fewest misses first, then the highest total score."""
    return len(misses(verdicts)), -sum(score or 0 for score, _, _ in verdicts.values())


def run_once(url, categories, workdir, error_page):
    report_path = workdir / "lighthouse.report.json"
    report_path.unlink(missing_ok=True)
    command = ["node", str(LIGHTHOUSE_CLI), url, "--quiet", "--output=json", "--output=html"]
    command += [f"--output-path={workdir / 'lighthouse'}", f"--only-categories={','.join(categories)}"]
    # The report's full-page screenshot costs a second a page; audit-output/ has better ones.
    command += [f"--chrome-flags={' '.join(CHROME_FLAGS)}", "--disable-full-page-screenshot"]
    if error_page:
        # Lighthouse refuses an error status unless told the status is expected.
        config = workdir / "lighthouse-error-page.json"
        config.write_text(json.dumps(ERROR_PAGE_CONFIG))
        command += ["--ignore-status-code", f"--config-path={config}"]
    env = {**os.environ, "CHROME_PATH": CHROME_PATH, "TMPDIR": str(workdir)}
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return dict.fromkeys(categories, (None, False, [f"Lighthouse took longer than {TIMEOUT} s"]))
    report = json.loads(report_path.read_text()) if completed.returncode == 0 and report_path.exists() else {}
    if not report or report.get("runtimeError"):
        error = report.get("runtimeError", {}).get("message") or completed.stderr.strip()[-500:]
        return dict.fromkeys(categories, (None, False, [f"Lighthouse failed: {error}"]))
    verdicts = {}
    for name in categories:
        category, audits = report["categories"][name], report["audits"]
        counted = [audits[ref["id"]] for ref in category["auditRefs"] if ref["weight"] or ref["id"] in REQUIRED_AUDITS]
        failing = [audit for audit in counted if audit["score"] not in (None, 1)]
        if category["score"] is None:
            verdicts[name] = (None, False, ["no score"])
            continue
        score = round(category["score"] * 100)
        ok = score >= MINIMUM[name] and REQUIRED_AUDITS.isdisjoint(audit["id"] for audit in failing)
        verdicts[name] = (score, ok, [describe(audit) for audit in failing])
    return verdicts


def describe(audit):
    value = f", {audit['displayValue']}" if audit.get("displayValue") else ""
    return f"{audit['id']}: {audit['title']} (score {audit['score']}{value})"
