"""One origin: every absolute address the site writes comes from configuration, never a stale Site."""

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from django.test import TestCase, override_settings
from wagtail.models import Site

from seo.checks import origin_matches_site_record
from tests import factories
from tests.jsonld import graph_from, nodes_by_type

ROOT = Path(__file__).resolve().parent.parent
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ORIGIN = "http://127.0.0.1:8100"


def sitemap_locations(response):
    return [loc.text for loc in ET.fromstring(response.content).findall("sm:url/sm:loc", SITEMAP_NS)]  # noqa: S314 - our own sitemap


def addresses_on(response):
    html = BeautifulSoup(response.content, "html.parser")
    webpage = nodes_by_type(graph_from(response), "MedicalWebPage")[0]
    return {
        "canonical": html.head.find("link", rel="canonical")["href"],
        "og:url": html.head.find("meta", property="og:url")["content"],
        "@id": webpage["@id"],
        "url": webpage["url"],
    }


@override_settings(WAGTAILADMIN_BASE_URL=ORIGIN)
class OneOriginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        # A Site record left from another address: what `make run` on port 8000 created.
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)

    def test_page_addresses_use_the_configured_origin(self):
        addresses = addresses_on(self.client.get(self.seed.url))
        self.assertEqual(
            addresses,
            {
                "canonical": f"{ORIGIN}{self.seed.url}",
                "og:url": f"{ORIGIN}{self.seed.url}",
                "@id": f"{ORIGIN}{self.seed.url}#webpage",
                "url": f"{ORIGIN}{self.seed.url}",
            },
        )

    def test_sitemap_and_robots_use_the_configured_origin(self):
        locations = sitemap_locations(self.client.get("/sitemap.xml"))
        self.assertIn(f"{ORIGIN}{self.seed.url}", locations)
        self.assertTrue(all(location.startswith(f"{ORIGIN}/") for location in locations), locations)
        robots = self.client.get("/robots.txt").content.decode()
        self.assertIn(f"Sitemap: {ORIGIN}/sitemap.xml", robots)

    def test_a_page_canonical_elsewhere_is_left_out_of_the_sitemap_and_its_graph_names_the_canonical(self):
        copy = factories.make_condition(title="Sciatica Copy", canonical_url=f"{ORIGIN}{self.seed.url}")
        self.assertNotIn(f"{ORIGIN}{copy.url}", sitemap_locations(self.client.get("/sitemap.xml")))
        addresses = addresses_on(self.client.get(copy.url))
        self.assertEqual(addresses["canonical"], f"{ORIGIN}{self.seed.url}")
        self.assertEqual(addresses["@id"], f"{ORIGIN}{self.seed.url}#webpage")

    def test_deploy_check_reports_a_site_record_with_another_origin(self):
        errors = origin_matches_site_record()
        self.assertEqual([error.id for error in errors], ["seo.E001"])
        self.assertIn("http://localhost:8000", errors[0].msg)
        Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8100)
        self.assertEqual(origin_matches_site_record(), [])


@override_settings(
    WAGTAILADMIN_BASE_URL="https://www.scsportsmed.example",
    ALLOWED_HOSTS=["www.scsportsmed.example", "scsportsmed.example"],
)
class CanonicalHostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_the_apex_host_is_sent_to_the_canonical_host(self):
        response = self.client.get("/conditions/?utm_source=mail", HTTP_HOST="scsportsmed.example")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://www.scsportsmed.example/conditions/?utm_source=mail")

    def test_the_canonical_host_is_served(self):
        response = self.client.get("/conditions/", HTTP_HOST="www.scsportsmed.example", secure=True)
        self.assertEqual(response.status_code, 200)

    def test_a_host_not_allowed_is_refused_not_redirected(self):
        response = self.client.get("/conditions/", HTTP_HOST="evil.example")
        self.assertEqual(response.status_code, 400)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_run_writes_addresses_with_the_port_it_serves():
    """`PORT=… make run`: the sitemap and canonical links name the port the site is served on."""
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        environment = {
            **{
                key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
            },
            "PORT": str(port),
            "DATABASE_URL": f"sqlite:///{directory}/run.sqlite3",
        }
        environment.pop("WAGTAILADMIN_BASE_URL", None)
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            ["make", "run"],  # noqa: S607 - make from PATH, as a developer runs it
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            origin = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 240
            while True:
                try:
                    sitemap = urllib.request.urlopen(f"{origin}/sitemap.xml", timeout=5).read()  # noqa: S310
                    break
                except OSError:
                    assert time.monotonic() < deadline, "make run did not serve the site in time"
                    time.sleep(1)
            locations = [loc.text for loc in ET.fromstring(sitemap).findall("sm:url/sm:loc", SITEMAP_NS)]  # noqa: S314 - our own sitemap
            assert locations and all(location.startswith(f"{origin}/") for location in locations), locations
            page = urllib.request.urlopen(f"{origin}/conditions/", timeout=5).read()  # noqa: S310
            canonical = BeautifulSoup(page, "html.parser").head.find("link", rel="canonical")["href"]
            assert canonical == f"{origin}/conditions/"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
