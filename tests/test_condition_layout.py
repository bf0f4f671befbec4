"""The condition page's outline, care cards and optional image, as a patient reads them."""

from bs4 import BeautifulSoup
from django.test import TestCase

from conditions.models import ConditionPage
from conditions.outline import outline
from locations.models import LocationPage
from tests import factories


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class ConditionLayoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_on_this_page_links_to_every_section_heading(self):
        page = soup(self.client.get(self.seed.url))
        links = page.select(".toc a")
        self.assertEqual(
            [link.get_text() for link in links],
            [
                "Back spasm treatment in Charleston, SC",
                "Symptoms",
                "Common Causes of Back Spasms",
                "Complications From Back Spasms",
                "Getting Treatment For Back Spasms",
                "When to call 911",
            ],
        )
        for link in links:
            target = page.find(id=link["href"].removeprefix("#"))
            self.assertEqual(target.name, "h2")
            self.assertEqual(target.get_text(strip=True), link.get_text())

    def test_repeated_headings_get_distinct_anchors(self):
        body = [
            ("text_section", {"heading": "Recovery", "text": "<p>One.</p>"}),
            ("text_section", {"heading": "Recovery", "text": "<p>Two.</p>"}),
            ("text_section", {"heading": "!!!", "text": "<p>Three.</p>"}),
        ]
        page = factories.make_condition(title="Whiplash", body=body)
        anchors = [section["anchor"] for section in outline(page.body)]
        self.assertEqual(anchors, ["recovery", "recovery-2", "section"])

    def test_a_short_page_has_no_table_of_contents(self):
        page = factories.make_condition(
            title="Tennis Elbow", body=[("text_section", {"heading": "Rest", "text": "<p>Rest helps.</p>"})]
        )
        self.assertIsNone(soup(self.client.get(page.url)).select_one(".toc"))

    def test_the_aside_offers_a_call_an_appointment_and_the_nearest_clinic(self):
        aside = soup(self.client.get(self.seed.url)).select_one("aside.condition__aside")
        self.assertEqual(aside.select_one("a[href^='tel:']")["href"], "tel:+18435550100")
        self.assertEqual(aside.select_one(".button")["href"], f"/contact/?from={self.seed.pk}")
        clinic = aside.select(".aside-card")[1]
        self.assertEqual(clinic.find("a").get_text(), "Charleston Clinic")
        self.assertIsNotNone(clinic.select_one(".hours-now .status"))

    def test_the_nearest_clinic_is_one_that_treats_the_condition(self):
        factories.make_clinic(title="Summerville Clinic", treats=[self.seed])
        LocationPage.objects.get(slug="charleston").unpublish()
        aside = soup(self.client.get(self.seed.url)).select_one("aside.condition__aside")
        self.assertEqual(aside.select(".aside-card")[1].find("a").get_text(), "Summerville Clinic")

    def test_the_optional_image_is_responsive_with_its_description_as_alt_text(self):
        self.assertIsNone(soup(self.client.get(self.seed.url)).select_one(".condition__image"))
        image = factories.make_image("Lower back")
        image.description = "A physiotherapist guiding a patient's lower-back stretch"
        image.save()
        factories.publish_change(self.seed, image=image)
        picture = soup(self.client.get(self.seed.url)).select_one(".condition__image picture")
        self.assertEqual([source["type"] for source in picture.find_all("source")], ["image/avif"])
        self.assertEqual(picture.img["alt"], "A physiotherapist guiding a patient's lower-back stretch")
        self.assertTrue(picture.img["width"] and picture.img["height"])
        # The page's own description of the image, which is translated with the page, comes first.
        factories.publish_change(self.seed, image_alt_text="Stretching the lower back with a therapist")
        picture = soup(self.client.get(self.seed.url)).select_one(".condition__image picture")
        self.assertEqual(picture.img["alt"], "Stretching the lower back with a therapist")

    def test_causes_keep_their_dash_for_screen_readers_and_copying(self):
        cause = soup(self.client.get(self.seed.url)).select_one(".named-list li")
        self.assertEqual(" ".join(cause.get_text().split())[:22], "Lack of Muscle Use – I")


class NewPagePreviewTests(TestCase):
    """An editor's preview of a condition page not yet saved shows the same care cards."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_a_new_page_previews_with_the_primary_clinic_as_nearest(self):
        parent = factories.condition_index()
        page = ConditionPage(title="Bursitis", slug="bursitis", summary="A sore, swollen joint.")
        page.set_url_path(parent)
        page.depth, page.path = parent.depth + 1, parent.path + "9999"
        response = page.make_preview_request()
        self.assertEqual(response.status_code, 200)
        aside = BeautifulSoup(response.rendered_content, "html.parser").select_one("aside.condition__aside")
        self.assertEqual(aside.select(".aside-card")[1].find("a").get_text(), "Charleston Clinic")
