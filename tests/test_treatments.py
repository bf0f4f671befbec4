"""Treatment pages: /treatments/, a page per treatment, and the links between them and condition pages."""

import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from demo.treatments import ensure_treatments
from home.models import HomePage
from seo.audit import audit_live_pages
from seo.titles import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET
from tests import factories
from tests.jsonld import check_graph, graph_from, nodes_by_type
from treatments.models import TreatmentIndexPage, TreatmentPage

ROOT = "http://testserver"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTION_HEADINGS = ["What it is", "Who it helps", "How it works", "Recovery", "Risks"]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def make_treatment(title, kind="therapy", publish=True, **fields):
    """A treatment page under /treatments/, published as an editor would publish it."""
    fields.setdefault("summary", f"{title} is a treatment we offer.")
    fields.setdefault("how_it_works", f"<p>How {escape(title)} is done.</p>")
    page = TreatmentIndexPage.objects.get().add_child(
        instance=TreatmentPage(title=title, kind=kind, live=publish, **fields)
    )
    if publish:
        page.save_revision().publish()
    return page


def treatment_body(*pages, name="Physical therapy"):
    """A condition body whose treatment block has one option per page (None: an option without a link)."""
    options = [
        {"name": name, "kind": "physical_therapy", "explanation": "Exercises.", "treatment_page": page}
        for page in pages
    ]
    return [("treatment", {"heading": "Treatment", "intro": "", "options": options})]


def save_draft(page, **fields):
    """A new draft revision with these fields changed, left unpublished."""
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision()
    return page


class TreatmentSiteTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.created = []
        cls.pages = ensure_treatments(factories.home_page(), cls.created)

    def graph(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        graph = graph_from(response)
        check_graph(self, graph)
        return response, graph

    def test_the_index_lists_each_treatment_with_its_summary(self):
        html = soup(self.client.get("/treatments/"))
        self.assertEqual(html.h1.get_text(), "Treatments We Offer")
        cards = html.select("main .card")
        self.assertEqual(
            [card.h2.a.get_text() for card in cards],
            ["Epidural steroid injection", "Microdiscectomy", "Physical therapy"],
        )
        self.assertEqual(cards[1].p.get_text(), self.pages["microdiscectomy"].summary)
        self.assertEqual(cards[1].h2.a["href"], "/treatments/microdiscectomy/")

    def test_the_index_graph_lists_the_treatments(self):
        _, graph = self.graph("/treatments/")
        (page,) = nodes_by_type(graph, "CollectionPage")
        items = page["mainEntity"]["itemListElement"]
        self.assertEqual([item["url"] for item in items][0], f"{ROOT}/treatments/epidural-steroid-injection/")

    def test_a_treatment_page_answers_first_then_shows_its_sections_under_headings(self):
        page = self.pages["epidural-steroid-injection"]
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        html = soup(response)
        self.assertEqual([h1.get_text() for h1 in html.find_all("h1")], ["Epidural steroid injection"])
        self.assertEqual(html.select_one("main p.lead").get_text(), page.summary)
        self.assertEqual([h2.get_text() for h2 in html.select("main article section > h2")], SECTION_HEADINGS)
        self.assertIn("live X-ray picture", html.find(id="how-it-works").parent.get_text())
        # Over 60 characters with the brand: the brand is left off, whole.
        self.assertEqual(html.title.get_text(), "Epidural steroid injection in Charleston, SC")
        self.assertEqual(html.find("meta", attrs={"name": "description"})["content"], page.summary)

    def test_an_empty_section_is_left_out(self):
        page = make_treatment("Bracing", risks="<p></p>", recovery="")
        headings = [h2.get_text() for h2 in soup(self.client.get(page.url)).select("main article section > h2")]
        self.assertEqual(headings, ["How it works"])

    def test_every_demo_treatment_fits_the_title_and_description_budgets(self):
        for page in [self.pages["treatments"], *TreatmentPage.objects.live()]:
            with self.subTest(page=page.url):
                html = soup(self.client.get(page.url))
                self.assertLessEqual(len(html.title.get_text()), TITLE_TAG_BUDGET)
                description = html.find("meta", attrs={"name": "description"})["content"]
                self.assertTrue(description)
                self.assertLessEqual(len(description), META_DESCRIPTION_BUDGET)
        self.assertEqual(
            soup(self.client.get(self.pages["physical-therapy"].url)).title.get_text(),
            "Physical therapy in Charleston, SC | SC Sports Medicine",
        )
        # Nothing for the SEO audit to report: reachable from the menu and the index, nothing duplicated.
        problems = {row.page.url: row.problems for row in audit_live_pages() if row.page.url.startswith("/treatments/")}
        self.assertEqual(problems, dict.fromkeys(problems, []))
        self.assertEqual(len(problems), 4)

    def test_the_graph_describes_the_treatment_typed_by_its_kind(self):
        pages = {**{slug: page for slug, page in self.pages.items() if slug != "treatments"}}
        pages["bracing"] = make_treatment("Bracing", kind="therapy", recovery="<p>Wear it for <b>6 weeks</b>.</p>")
        expected_types = {
            "physical-therapy": "PhysicalTherapy",
            "epidural-steroid-injection": "TherapeuticProcedure",
            "microdiscectomy": "SurgicalProcedure",
            "bracing": "MedicalTherapy",
        }
        for slug, schema_type in expected_types.items():
            with self.subTest(page=slug):
                page = pages[slug]
                _, graph = self.graph(page.url)
                (web_page,) = nodes_by_type(graph, "MedicalWebPage")
                (treatment,) = nodes_by_type(graph, schema_type)
                url = f"{ROOT}{page.url}"
                self.assertEqual(treatment["@id"], f"{url}#treatment")
                self.assertEqual(web_page["about"], {"@id": treatment["@id"]})
                self.assertEqual(
                    (treatment["name"], treatment["description"], treatment["url"]), (page.title, page.summary, url)
                )
                self.assertIn("howPerformed", treatment)
        _, graph = self.graph(pages["bracing"].url)
        self.assertEqual(nodes_by_type(graph, "MedicalTherapy")[0]["followup"], "Wear it for 6 weeks.")

    def test_the_sitemap_lists_live_treatment_pages_only(self):
        draft = make_treatment("Bracing", publish=False)
        root = ET.fromstring(self.client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
        entries = {url.find("sm:loc", SITEMAP_NS).text for url in root.findall("sm:url", SITEMAP_NS)}
        for slug in ["", "physical-therapy/", "epidural-steroid-injection/", "microdiscectomy/"]:
            self.assertIn(f"{ROOT}/treatments/{slug}", entries)
        self.assertNotIn(f"{ROOT}{draft.url_path}", {entry.replace(ROOT, "") for entry in entries})
        self.assertFalse(any("bracing" in entry for entry in entries))

    def test_site_search_finds_a_treatment(self):
        html = soup(self.client.get("/search/", {"query": "microdiscectomy"}))
        hit = html.select_one('main a[href="/treatments/microdiscectomy/"]').find_parent("li")
        self.assertEqual(hit.select_one(".search-result__type").get_text(), "Treatment")

    def test_the_demo_treatments_are_created_once(self):
        again = []
        pages = ensure_treatments(factories.home_page(), again)
        self.assertEqual(again, [])
        self.assertEqual({slug: page.pk for slug, page in pages.items()}, {s: p.pk for s, p in self.pages.items()})
        self.assertTrue(all(page.live for page in pages.values()))
        self.assertEqual(TreatmentPage.objects.count(), 3)

    def test_editors_add_treatments_under_the_treatments_page_only(self):
        self.assertCanCreateAt(TreatmentIndexPage, TreatmentPage)
        self.assertCanNotCreateAt(HomePage, TreatmentPage)

    def test_editors_add_the_treatments_section_under_the_home_page(self):
        # Needs "treatments.TreatmentIndexPage" in HomePage.subpage_types (home/models.py).
        self.assertCanCreateAt(HomePage, TreatmentIndexPage)

    def test_an_editor_creates_a_treatment_page(self):
        self.login()
        self.assertCanCreate(
            self.pages["treatments"],
            TreatmentPage,
            {
                "title": "Knee arthroscopy",
                "slug": "knee-arthroscopy",
                "summary": "Keyhole surgery inside the knee.",
                "kind": "surgery",
                "what_it_is": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Keyhole surgery.", '
                '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
            },
        )
        page = TreatmentPage.objects.get(slug="knee-arthroscopy")
        self.assertEqual(page.treatment_type, "SurgicalProcedure")


class ConditionLinkTests(TestCase):
    """A condition's treatment option links to a treatment page, which lists the condition in return."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        ensure_treatments(factories.home_page(), [])
        cls.treatment = make_treatment("Dry needling", kind="procedure")

    def listed(self, treatment=None):
        html = soup(self.client.get((treatment or self.treatment).url))
        section = html.find("section", class_="treated-conditions")
        return [a.get_text() for a in section.select("h3 a")] if section else []

    def test_the_option_links_to_the_treatment_page_which_lists_the_condition(self):
        condition = factories.make_condition(title="Sciatica", slug="sciatica", body=treatment_body(self.treatment))
        response = self.client.get(condition.url)
        link = soup(response).select_one("section.block-treatment h3 a")
        self.assertEqual((link.get_text(), link["href"]), ("Physical therapy", self.treatment.url))
        graph = graph_from(response)
        check_graph(self, graph)
        (node,) = nodes_by_type(graph, "MedicalCondition")
        self.assertEqual(node["possibleTreatment"][0]["url"], f"{ROOT}{self.treatment.url}")

        html = soup(self.client.get(self.treatment.url))
        self.assertEqual(html.select_one(".treated-conditions h2").get_text(), "Conditions this treats")
        card = html.select_one(".treated-conditions .card")
        self.assertEqual((card.a.get_text(), card.a["href"]), ("Sciatica", condition.url))
        self.assertEqual(card.p.get_text(), condition.summary)
        graph = graph_from(self.client.get(self.treatment.url))
        check_graph(self, graph)
        (page,) = nodes_by_type(graph, "MedicalWebPage")
        self.assertEqual(
            page["mentions"], [{"@type": "MedicalCondition", "name": "Sciatica", "url": f"{ROOT}{condition.url}"}]
        )

    def test_an_option_without_a_page_or_with_an_unpublished_one_is_plain_text(self):
        hidden = make_treatment("Ultrasound therapy")
        condition = factories.make_condition(title="Bursitis", slug="bursitis", body=treatment_body(None, hidden))
        hidden.unpublish()
        response = self.client.get(condition.url)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(soup(response).select_one("section.block-treatment h3 a"))
        (node,) = nodes_by_type(graph_from(response), "MedicalCondition")
        self.assertTrue(all("url" not in option for option in node["possibleTreatment"]))

    def test_only_published_links_from_live_conditions_count(self):
        # A condition page never published, though it links.
        factories.make_condition(title="Draft", slug="draft", body=treatment_body(self.treatment), publish=False)
        # A live condition page whose link is only in a draft.
        live = factories.make_condition(title="Gout", slug="gout", body=treatment_body(None))
        self.assertEqual(self.listed(), [])
        save_draft(live, body=treatment_body(self.treatment))
        self.assertEqual(self.listed(), [])
        # Published, the link counts; a later draft taking it out changes nothing until it is published.
        factories.publish_change(live, body=treatment_body(self.treatment))
        self.assertEqual(self.listed(), ["Gout"])
        save_draft(live, body=treatment_body(None))
        self.assertEqual(self.listed(), ["Gout"])
        factories.publish_change(live, body=treatment_body(None))
        self.assertEqual(self.listed(), [])

    def test_an_unpublished_condition_is_no_longer_listed(self):
        condition = factories.make_condition(title="Tendinitis", slug="tendinitis", body=treatment_body(self.treatment))
        self.assertEqual(self.listed(), ["Tendinitis"])
        condition.unpublish()
        self.assertEqual(self.listed(), [])

    def test_a_link_in_another_block_does_not_make_it_a_treated_condition(self):
        body = [("call_to_action", {"text": "Read more.", "link_label": "Read about it", "page": self.treatment})]
        factories.make_condition(title="Shin splints", slug="shin-splints", body=body)
        self.assertEqual(self.listed(), [])

    def test_renaming_the_treatment_page_updates_the_condition_page(self):
        condition = factories.make_condition(title="Sprain", slug="sprain", body=treatment_body(self.treatment))
        self.client.get(condition.url)  # now in the page cache
        factories.publish_change(self.treatment, slug="needling")
        link = soup(self.client.get(condition.url)).select_one("section.block-treatment h3 a")
        self.assertEqual(link["href"], "/treatments/needling/")


class HostileTreatmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        ensure_treatments(factories.home_page(), [])
        cls.index = TreatmentIndexPage.objects.get()

    def test_hostile_titles_and_text_are_shown_as_text(self):
        hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
        treatment = make_treatment(
            f"{hostile} {'Very long name ' * 12}".strip()[:255],
            summary=hostile * 5,
            what_it_is=f"<p>{escape(hostile)}</p>",
        )
        condition = factories.make_condition(
            title=hostile, slug="hostile", summary=hostile, body=treatment_body(treatment, name=hostile)
        )
        for page in (treatment, condition, TreatmentIndexPage.objects.get()):
            with self.subTest(page=page.url):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertIsNone(re.search(r"<script>alert|<img src=x", body))
                self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
                graph = graph_from(response)
                check_graph(self, graph)
        (page,) = nodes_by_type(graph_from(self.client.get(treatment.url)), "MedicalWebPage")
        self.assertEqual(page["mentions"][0]["name"], hostile)

    def test_a_new_treatment_page_previews_in_the_editor(self):
        # The editor's preview of a page not yet saved: nothing links to it yet.
        self.client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.com", "pw"))
        url = reverse("wagtailadmin_pages:preview_on_add", args=["treatments", "treatmentpage", self.index.pk])
        data = nested_form_data(
            {
                "title": "Shock wave therapy",
                "slug": "shock-wave-therapy",
                "summary": "Sound waves that help a sore tendon heal.",
                "kind": "therapy",
                "what_it_is": rich_text("<p>Pulses of sound.</p>"),
                "who_it_helps": rich_text(""),
                "how_it_works": rich_text(""),
                "recovery": rich_text(""),
                "risks": rich_text(""),
            }
        )
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Shock wave therapy</h1>", html=True)
        self.assertNotContains(response, "Conditions this treats")
        self.assertFalse(Page.objects.filter(slug="shock-wave-therapy").exists())
