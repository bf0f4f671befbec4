"""The references block: numbered sources, [N] markers linked to them, and the page's `citation`."""

import re

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.blocks import ReferenceBlock, ReferencesBlock
from conditions.blocks.references import link_citation_markers
from conditions.models import ConditionPage
from tests import factories
from tests.jsonld import check_graph, graph_from, nodes_by_type

ARTICLE = {
    "title": "Surgery versus prolonged conservative treatment for sciatica",
    "authors": "Peul WC, van Houwelingen HC, et al.",
    "author_kind": "people",
    "published_in": "New England Journal of Medicine",
    "year": 2007,
    "url": "https://www.nejm.org/doi/full/10.1056/NEJMoa064039",
    "doi": "10.1056/NEJMoa064039",
    "pmid": "17538085",
}
GUIDELINE = {
    "title": "Low back pain and sciatica in over 16s",
    "authors": "National Institute for Health and Care Excellence",
    "author_kind": "organization",
    "published_in": "NICE",
    "year": 2016,
    "url": "https://www.nice.org.uk/guidance/ng59",
    "doi": "",
    "pmid": "",
}


def references(*items, heading="References"):
    return ("references", {"heading": heading, "references": list(items)})


def text(html, heading="About sciatica"):
    return ("text_section", {"heading": heading, "text": RichText(html)})


def list_block(items):
    """Form data for a ListBlock, in the shape the page editor posts."""
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class ReferencesPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        body = [
            text('<p>Most people improve within weeks [1]. See <a href="https://example.org/">the guide [2]</a>.</p>'),
            (
                "treatment",
                {
                    "heading": "Treatment",
                    "intro": "Exercise helps [2]; surgery is faster [1] [3] [0].",
                    "options": [{"name": "Surgery [1]", "kind": "surgery", "explanation": "Sometimes [2]."}],
                },
            ),
            references(ARTICLE, GUIDELINE),
        ]
        cls.page = factories.make_condition(title="Sciatica", slug="sciatica", body=body)

    def setUp(self):
        self.response = self.client.get(self.page.url)
        self.html = soup(self.response)

    def test_references_are_a_numbered_list_with_doi_and_pubmed_links(self):
        section = self.html.select_one("section.block-references")
        self.assertEqual(section.h2.get_text(), "References")
        items = section.select("ol.references > li")
        self.assertEqual([item["id"] for item in items], ["ref-1", "ref-2"])
        article = items[0]
        self.assertEqual(
            " ".join(article.get_text(" ").split()),
            "Peul WC, van Houwelingen HC, et al. Surgery versus prolonged conservative treatment for sciatica. "
            "New England Journal of Medicine, 2007. DOI: 10.1056/NEJMoa064039 . PubMed: 17538085 .",
        )
        self.assertEqual(article.cite.a["href"], ARTICLE["url"])
        self.assertEqual(
            [a["href"] for a in article.find_all("a")][1:],
            ["https://doi.org/10.1056/NEJMoa064039", "https://pubmed.ncbi.nlm.nih.gov/17538085/"],
        )
        self.assertIn("National Institute for Health and Care Excellence.", items[1].get_text())

    def test_markers_in_the_text_link_to_their_references(self):
        text_section = self.html.select_one("section.block-text")
        markers = text_section.select("sup.citation a")
        self.assertEqual([(a.get_text(), a["href"]) for a in markers], [("[1]", "#ref-1")])
        # A marker inside a link stays text: a link may not hold another.
        self.assertEqual(text_section.find("a", href="https://example.org/").get_text(), "the guide [2]")
        treatment = self.html.select_one("section.block-treatment")
        self.assertEqual(
            [a["href"] for a in treatment.select("sup.citation a")], ["#ref-2", "#ref-1", "#ref-1", "#ref-2"]
        )
        # Numbers without a reference stay as typed.
        self.assertIn("[3] [0].", treatment.get_text())
        self.assertEqual(self.html.select("section.block-references sup"), [])

    def test_the_references_are_the_pages_citations(self):
        graph = graph_from(self.response)
        check_graph(self, graph)
        (page,) = nodes_by_type(graph, "MedicalWebPage")
        article, guideline = page["citation"]
        self.assertEqual(
            article,
            {
                "@type": "ScholarlyArticle",
                "name": ARTICLE["title"],
                "author": [
                    {"@type": "Person", "name": "Peul WC"},
                    {"@type": "Person", "name": "van Houwelingen HC"},
                ],
                "isPartOf": {"@type": "Periodical", "name": "New England Journal of Medicine"},
                "datePublished": "2007",
                "url": ARTICLE["url"],
                "sameAs": ["https://doi.org/10.1056/NEJMoa064039", "https://pubmed.ncbi.nlm.nih.gov/17538085/"],
                "identifier": [
                    {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1056/NEJMoa064039"},
                    {"@type": "PropertyValue", "propertyID": "PMID", "value": "17538085"},
                ],
            },
        )
        self.assertEqual(
            guideline,
            {
                "@type": "CreativeWork",
                "name": GUIDELINE["title"],
                "author": [{"@type": "Organization", "name": GUIDELINE["authors"]}],
                "publisher": {"@type": "Organization", "name": "NICE"},
                "datePublished": "2016",
                "url": GUIDELINE["url"],
            },
        )

    def test_without_references_markers_stay_text(self):
        page = factories.make_condition(title="Gout", slug="gout", body=[text("<p>Common [1].</p>")])
        response = self.client.get(page.url)
        self.assertContains(response, "Common [1].")
        self.assertNotContains(response, 'href="#ref-1"')
        self.assertNotIn("citation", nodes_by_type(graph_from(response), "MedicalWebPage")[0])


class HostileReferenceTests(TestCase):
    """What reaches the database without the editor's validation (an import, an old revision) is shown safely."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_hostile_references_are_escaped_and_never_links_to_scripts(self):
        hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
        body = [
            text(f"<p>{('x' * 50 + ' [1] ') * 200}</p>", heading=hostile),
            (
                "treatment",
                {
                    "heading": "Treatment",
                    "intro": f"{hostile} [1]",
                    "options": [{"name": hostile, "kind": "other", "explanation": f"[1]{hostile}[2]"}],
                },
            ),
            references(
                {
                    "title": hostile + "T" * 5000,
                    "authors": f"{hostile}, {hostile}",
                    "author_kind": "people",
                    "published_in": hostile,
                    "year": None,
                    "url": "javascript:alert(3)",
                    "doi": '10.1234/"><script>alert(4)</script>',
                    "pmid": "1<script>",
                },
                {**ARTICLE, "url": " JaVaScRiPt:alert(5)", "doi": "javascript:alert(6)", "pmid": "data:text/html,x"},
            ),
        ]
        page = factories.make_condition(title=hostile, slug="hostile", summary=hostile, body=body)
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIsNone(re.search(r"<script>alert|<img src=x", content))
        self.assertNotIn("javascript:", content.lower())
        html = soup(response)
        hrefs = [a["href"] for a in html.select("section.block-references a")]
        self.assertEqual(hrefs, ["https://doi.org/10.1234/%22%3E%3Cscript%3Ealert(4)%3C/script%3E"])
        self.assertEqual(len(html.select("section.block-treatment sup.citation")), 3)
        self.assertEqual(len(html.select("section.block-text sup.citation")), 200)
        graph = graph_from(response)
        check_graph(self, graph)
        hostile_ref, article = nodes_by_type(graph, "MedicalWebPage")[0]["citation"]
        self.assertNotIn("url", hostile_ref)
        self.assertEqual(hostile_ref["name"], hostile + "T" * 5000)
        self.assertEqual((article["@type"], "url" in article, "sameAs" in article), ("CreativeWork", False, False))


class ReferenceValidationTests(SimpleTestCase):
    block = ReferenceBlock()

    def clean(self, **fields):
        return self.block.clean(self.block.to_python({**GUIDELINE, **fields}))

    def error(self, field, **fields):
        with self.assertRaises(StructBlockValidationError) as raised:
            self.clean(**fields)
        return " ".join(message for error in [raised.exception.block_errors[field]] for message in error.messages)

    def test_a_script_or_data_address_is_refused(self):
        for url in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/x"]:
            with self.subTest(url=url):
                self.assertIn("starting with https://", self.error("url", url=url))

    def test_a_doi_must_look_like_one(self):
        for doi in ["11.1056/NEJM", "10.1056", "NEJMoa064039", "10.12/short-prefix"]:
            with self.subTest(doi=doi):
                self.assertIn("with “10.”", self.error("doi", doi=doi))

    def test_a_pubmed_id_is_digits(self):
        self.assertEqual(self.error("pmid", pmid="PMC123"), "Enter the PubMed ID as digits only, e.g. 31234567.")

    def test_the_title_is_required(self):
        with self.assertRaises(StructBlockValidationError) as raised:
            self.clean(title="")
        self.assertIn("title", raised.exception.block_errors)

    def test_pasted_links_and_prefixes_are_saved_as_the_bare_identifiers(self):
        value = self.clean(doi="https://doi.org/10.1056/NEJMoa064039", pmid=" PMID: 17538085 ")
        self.assertEqual((value["doi"], value["pmid"]), ("10.1056/NEJMoa064039", "17538085"))
        value = self.clean(doi="doi:10.1056/NEJMoa064039", pmid="https://pubmed.ncbi.nlm.nih.gov/17538085/")
        self.assertEqual((value["doi"], value["pmid"]), ("10.1056/NEJMoa064039", "17538085"))

    def test_the_references_block_needs_a_reference(self):
        block = ReferencesBlock()
        with self.assertRaises(StructBlockValidationError):
            block.clean(block.to_python({"heading": "References", "references": []}))

    def test_markers_are_linked_in_text_only(self):
        html = '<p title="[1]">See [1]<!-- [1] --> and <a href="/x">[1]</a> [12] [1000]</p>'
        self.assertEqual(
            link_citation_markers(html, 12),
            '<p title="[1]">See <sup class="citation"><a href="#ref-1" aria-label="Reference 1">[1]</a></sup>'
            '<!-- [1] --> and <a href="/x">[1]</a> '
            '<sup class="citation"><a href="#ref-12" aria-label="Reference 12">[12]</a></sup> [1000]</p>',
        )


class EditorReferenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.index = factories.condition_index()
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def post(self, reference):
        body = streamfield(
            [
                ("text_section", {"heading": "About", "text": rich_text("<p>Common [1].</p>")}),
                ("references", {"heading": "References", "references": list_block([reference])}),
            ]
        )
        data = nested_form_data({"title": "Gout", "slug": "gout", "summary": "Painful joints.", "body": body})
        url = f"/admin/pages/add/conditions/conditionpage/{self.index.pk}/"
        # The empty inline panels' management forms, as the editor's browser sends them.
        form = soup(self.client.get(url)).select("input[name$=_FORMS]")
        return self.client.post(url, {**{field["name"]: field.get("value", "") for field in form}, **data})

    def test_the_block_picker_previews_a_reference_list(self):
        block = ConditionPage._meta.get_field("body").stream_block.child_blocks["references"]
        self.assertEqual((block.meta.group, block.meta.icon), ("General content", "list-ol"))
        response = self.client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
        self.assertEqual(response.status_code, 200)
        item = soup(response).select_one("main ol.references li#ref-1")
        self.assertIn("Management of acute low back pain.", item.get_text())
        self.assertEqual(item.find_all("a")[-1]["href"], "https://doi.org/10.1000/example.2021.15")

    def test_an_editor_adds_references_and_a_javascript_address_is_refused(self):
        form = {**GUIDELINE, "year": "2016", "url": "javascript:alert(1)"}
        refused = self.post(form)
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Enter a full web address starting with https://")
        self.assertFalse(ConditionPage.objects.filter(slug="gout").exists())

        self.assertEqual(self.post({**form, "url": GUIDELINE["url"]}).status_code, 302)
        page = ConditionPage.objects.get(slug="gout")
        page.save_revision().publish()
        html = soup(self.client.get(page.url))
        self.assertEqual(html.select_one("sup.citation a")["href"], "#ref-1")
        self.assertEqual(html.select_one("#ref-1 cite a")["href"], GUIDELINE["url"])
