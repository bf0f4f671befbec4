"""Debian's Chromium, driven by Playwright, against pytest-django's live server.

Browser tests carry the `browser` marker. Where Chromium or Playwright is missing they are skipped,
so the default run works on any machine; selected with `-m browser`, as CI does, they fail instead,
so a missing browser cannot pass unnoticed. Playwright never downloads a browser of its own here.

Database work belongs in fixtures that are set up before the browser: while Playwright's sync API
runs, its event loop makes Django refuse database calls from the test (SynchronousOnlyOperation).
"""

import importlib.util
import os
import random
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium otherwise calls Google's services in the background (updates, sync, field trials); on a
# closed network those calls fail and slow every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The admin is slow to render on a busy two-core machine; waits end as soon as their condition holds.
TIMEOUT_MS = 30_000
LIVE_SERVER_PORTS = range(8500, 8600)
FAILURE_SCREENSHOTS = Path(__file__).resolve().parents[2] / "audit-output"

phase_reports = pytest.StashKey[dict]()


def missing_requirements():
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (pip install -r requirements-audit.txt)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return missing


def pytest_collection_modifyitems(config, items):
    missing = missing_requirements()
    if not missing or "browser" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="browser test: needs " + " and ".join(missing))
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Kept so that the page fixture can tell, while tearing down, whether the test failed.
    report = yield
    item.stash.setdefault(phase_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server on 127.0.0.1 and a free port from 8500–8599."""
    from pytest_django.live_server_helper import LiveServer

    ports = list(LIVE_SERVER_PORTS)
    random.shuffle(ports)  # simultaneous runs on one machine rarely try the same port first
    for port in ports:
        try:
            server = LiveServer(f"127.0.0.1:{port}")
        except OSError:
            continue
        yield server
        server.stop()
        return
    pytest.fail(f"No free port for the live server in {LIVE_SERVER_PORTS}")


@pytest.fixture
def browser():
    """Debian's Chromium, headless, started for one test and closed after it."""
    missing = missing_requirements()
    if missing:
        pytest.fail("Browser tests need " + " and ".join(missing))
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Opens a page in a browser context of its own (its own cookies), as another person would.

    When the test fails, each page it opened is saved as a screenshot in audit-output/.
    """
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    reports = request.node.stash.get(phase_reports, {})
    if any(report.failed for report in reports.values()):
        FAILURE_SCREENSHOTS.mkdir(exist_ok=True)
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            page.screenshot(path=FAILURE_SCREENSHOTS / f"{request.node.name}-{number}.png", full_page=True)
    for context in contexts:
        context.close()
