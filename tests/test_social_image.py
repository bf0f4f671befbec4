"""The default social image: what a share of a page without its own image shows, and what the SEO audit says."""

import csv
import io

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from conditions.models import ConditionIndexPage
from home.models import PracticeSettings
from tests import factories
from tests.factories import publish_change
from tests.jsonld import check_graph, graph_from, nodes_by_type

ROOT = "http://testserver"


def social_tags(response):
    html = BeautifulSoup(response.content, "html.parser")
    return {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in html.head.find_all("meta")
        if (tag.get("property") or tag.get("name") or "").startswith(("og:image", "twitter:"))
    }


def audit_rows(client):
    body = b"".join(client.get(reverse("seo_audit"), {"export": "csv"}).streaming_content).decode()
    return {row["Page"]: row for row in csv.DictReader(io.StringIO(body))}


class DefaultSocialImageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.default_image = factories.make_image("Practice entrance")
        practice = PracticeSettings.load()
        practice.default_social_image = cls.default_image
        practice.save()
        cls.own_image = factories.make_image("Knee model")
        cls.with_own = factories.make_condition(
            ConditionIndexPage.objects.get(), title="Knee Pain", slug="knee-pain", social_image=cls.own_image
        )
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def test_a_page_without_its_own_image_is_shared_with_the_default_one(self):
        rendition = self.default_image.get_rendition("fill-1200x630")
        tags = social_tags(self.client.get(self.seed.url))
        self.assertEqual(tags["og:image"], f"{ROOT}{rendition.url}")
        self.assertEqual(tags["og:image:width"], str(rendition.width))
        self.assertEqual(tags["og:image:height"], str(rendition.height))
        self.assertEqual(tags["og:image:alt"], rendition.alt)
        self.assertEqual(tags["twitter:image"], tags["og:image"])
        self.assertEqual(tags["twitter:card"], "summary_large_image")

    def test_a_page_with_its_own_image_keeps_it(self):
        tags = social_tags(self.client.get(self.with_own.url))
        self.assertEqual(tags["og:image"], f"{ROOT}{self.own_image.get_rendition('fill-1200x630').url}")
        self.assertEqual(tags["twitter:image"], tags["og:image"])

    def test_the_default_image_takes_the_place_of_the_logo(self):
        practice = PracticeSettings.load()
        practice.logo = factories.make_image("Logo")
        practice.save()
        tags = social_tags(self.client.get(self.seed.url))
        self.assertEqual(tags["og:image"], f"{ROOT}{self.default_image.get_rendition('fill-1200x630').url}")

    def test_a_new_default_image_shows_on_the_next_request(self):
        self.client.get(self.seed.url)
        replacement = factories.make_image("New entrance")
        practice = PracticeSettings.load()
        practice.default_social_image = replacement
        practice.save()
        tags = social_tags(self.client.get(self.seed.url))
        self.assertEqual(tags["og:image"], f"{ROOT}{replacement.get_rendition('fill-1200x630').url}")

    def test_the_page_node_of_the_json_ld_carries_the_shared_image(self):
        for page, image in [(self.seed, self.default_image), (self.with_own, self.own_image)]:
            with self.subTest(page=page.title):
                response = self.client.get(page.url)
                graph = graph_from(response)
                check_graph(self, graph)
                [node] = nodes_by_type(graph, "MedicalWebPage")
                rendition = image.get_rendition("fill-1200x630")
                self.assertEqual(
                    node["image"],
                    {
                        "@type": "ImageObject",
                        "url": f"{ROOT}{rendition.url}",
                        "width": rendition.width,
                        "height": rendition.height,
                    },
                )
                self.assertEqual(node["image"]["url"], social_tags(response)["og:image"])

    def test_the_setting_is_in_settings_practice_with_its_size(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/admin/settings/home/practicesettings/{PracticeSettings.load().pk}/")
        self.assertContains(response, "Default social image")
        self.assertContains(response, "1200 × 630 px")

    def test_the_audit_no_longer_lists_pages_that_fall_back_to_the_default_image(self):
        self.client.force_login(self.admin)
        rows = audit_rows(self.client)
        self.assertNotIn("No social image", rows["Sciatica / Back Spasms"]["Problems"])
        self.assertEqual(rows["Sciatica / Back Spasms"]["Social image"], "The default (Settings → Practice)")
        self.assertEqual(rows["Knee Pain"]["Social image"], "The page's own")
        self.assertNotIn("No social image", self.client.get(reverse("seo_audit")).content.decode())


class NoDefaultSocialImageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def test_a_page_without_any_image_is_shared_with_a_card_drawn_from_its_title(self):
        response = self.client.get(self.seed.url)
        tags = social_tags(response)
        self.assertEqual(tags["twitter:card"], "summary_large_image")
        self.assertEqual((tags["og:image:width"], tags["og:image:height"]), ("1200", "630"))
        self.assertEqual(tags["og:image:alt"], self.seed.title)
        node_image = nodes_by_type(graph_from(response), "MedicalWebPage")[0]["image"]
        self.assertEqual(node_image["url"], tags["og:image"])
        # The card is a real 1200 × 630 PNG in the media storage, drawn once for the title.
        path = tags["og:image"].removeprefix("http://testserver/media/")
        with default_storage.open(path) as card, Image.open(card) as picture:
            self.assertEqual((picture.format, picture.size), ("PNG", (1200, 630)))
        self.assertEqual(social_tags(self.client.get(self.seed.url))["og:image"], tags["og:image"])
        publish_change(self.seed, title="Sciatica")
        self.assertNotEqual(social_tags(self.client.get(self.seed.url))["og:image"], tags["og:image"])
        self.client.force_login(self.admin)
        row = audit_rows(self.client)["Sciatica"]
        self.assertEqual(row["Social image"], "A card drawn from the title")
        self.assertNotIn("social image", row["Problems"])
