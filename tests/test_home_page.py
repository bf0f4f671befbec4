"""The home page as a patient sees it: built from the editors' blocks, every section working."""

import datetime
from unittest import mock

from bs4 import BeautifulSoup
from django.test import TestCase
from wagtail.images.models import Rendition

from conditions.models import ConditionPage
from home.blocks import ActionBlock, HomePageBlocks
from tests import factories

# A Monday, 10:30 in Charleston (15:30 UTC): the demo clinic is open until noon.
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class DemoHomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def get_home(self):
        with mock.patch("django.utils.timezone.now", return_value=MONDAY_MORNING):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return soup(response)

    def test_the_demo_home_page_uses_every_block(self):
        used = {block.block_type for block in factories.home_page().body}
        # Every section the home page offers; a free text block is there for editors who need one.
        self.assertEqual(set(HomePageBlocks.base_blocks) - used, {"text"})

    def test_the_hero_holds_the_only_h1_with_its_actions(self):
        page = self.get_home()
        self.assertEqual(
            [h1.get_text(strip=True) for h1 in page.find_all("h1")],
            ["Orthopaedic and sports medicine care in Charleston, SC"],
        )
        actions = {a.get_text(strip=True): a["href"] for a in page.select(".hero__actions a")}
        self.assertEqual(actions, {"Request an appointment": "/contact/", "Find your condition": "/conditions/"})
        self.assertEqual(page.select_one(".hero__phone a")["href"], "tel:+18435550100")

    def test_the_hero_image_is_responsive_avif_and_webp_with_its_size_set(self):
        picture = self.get_home().select_one(".hero__media picture")
        # AVIF for browsers that take it, WebP in the <img> for the rest, each in three widths.
        self.assertEqual([source["type"] for source in picture.find_all("source")], ["image/avif"])
        image = picture.find("img")
        self.assertIn(".webp", image["src"])
        self.assertEqual(len(picture.source["srcset"].split(",")), 3)
        self.assertEqual(len(image["srcset"].split(",")), 3)
        self.assertEqual((image["width"], image["height"]), ("480", "320"))
        # The demo art is decorative; the hero image is the first screen's largest, so it is not lazy.
        self.assertEqual(image["alt"], "")
        self.assertEqual(image.get("fetchpriority"), "high")
        self.assertNotIn("loading", image.attrs)

    def test_body_areas_link_to_the_conditions_of_each_area(self):
        tiles = self.get_home().select(".area-tile")
        self.assertEqual([tile.select_one(".area-tile__label").get_text() for tile in tiles], ["Spine and back"])
        self.assertEqual(tiles[0]["href"], "/conditions/?area=spine")
        listing = soup(self.client.get(tiles[0]["href"]))
        self.assertEqual([a.get_text() for a in listing.select(".card-list h3 a")], ["Sciatica / Back Spasms"])

    def test_featured_conditions_show_live_pages_with_their_summaries(self):
        cards = self.get_home().select(".card--link")
        self.assertEqual([card.h3.a["href"] for card in cards], ["/conditions/sciatica-back-spasms/"])
        self.assertIn("A back spasm is when the muscles", cards[0].p.get_text())
        self.seed.unpublish()
        self.assertEqual(self.get_home().select(".card--link"), [])

    def test_clinics_show_todays_hours_and_whether_open_now(self):
        card = self.get_home().select_one(".clinic-card")
        self.assertEqual(card.h3.get_text(strip=True), "Charleston Clinic")
        self.assertIn("Open now until 12:00 PM", " ".join(card.select_one(".hours-now").get_text().split()))
        today = " ".join(card.select_one(".hours-today").get_text().split())
        self.assertEqual(today, "Today: 8:00 AM–12:00 PM, 1:00 PM–5:00 PM")
        directions = card.select_one("a[href^='https://www.google.com/maps/']")
        self.assertEqual(" ".join(directions.get_text().split()), "Get directions to Charleston Clinic")
        self.assertIn("query=100+Example+Street", directions["href"])

    def test_physicians_and_reasons_and_the_closing_call(self):
        page = self.get_home()
        names = [a.get_text() for a in page.select(".physician-list h3 a")]
        self.assertEqual(names, ["Morgan Example, MD", "Jordan Sample, DPT"])
        self.assertEqual(len(page.select(".reason")), 3)
        closing = page.select_one(".closing-cta")
        self.assertEqual(closing.select_one(".button")["href"], "/contact/")
        self.assertEqual(closing.select_one("a[href^='tel:']")["href"], "tel:+18435550100")

    def test_section_headings_have_unique_ids(self):
        ids = [tag["id"] for tag in self.get_home().select("main [id]")]
        self.assertEqual(len(ids), len(set(ids)))

    def test_without_a_hero_the_page_keeps_its_heading_and_appointment_button(self):
        factories.strip_blocks(factories.home_page(), "hero")
        page = self.get_home()
        self.assertEqual(page.h1.get_text(strip=True), factories.home_page().title)
        self.assertEqual(page.select_one(".page-intro .button")["href"], "/contact/")

    def test_a_hero_without_an_image_shows_the_drawn_pattern_not_an_empty_box(self):
        home = factories.home_page()
        body = [(block.block_type, block.value) for block in home.body]
        body[0][1]["image"] = None
        home.body = body
        home.save_revision().publish()
        page = self.get_home()
        self.assertIsNone(page.select_one(".hero img"))
        self.assertIsNotNone(page.select_one(".hero__art[aria-hidden=true]"))


class ActionBlockTests(TestCase):
    def test_a_button_needs_somewhere_to_lead(self):
        with self.assertRaises(Exception) as caught:
            ActionBlock().clean({"label": "Read more", "page": None, "url": ""})
        self.assertIn("Choose a page or give an address", str(caught.exception.block_errors))

    def test_the_heros_main_button_falls_back_to_the_appointment_page(self):
        block = ActionBlock(falls_back_to_appointment_page=True)
        self.assertEqual(block.clean({"label": "Book", "page": None, "url": ""})["label"], "Book")


class HomePageEditingTests(TestCase):
    """An editor builds the page in the admin: the blocks save and the page shows them."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_publishing_a_new_section_shows_it(self):
        home = factories.home_page()
        body = [(block.block_type, block.value) for block in home.body]
        body.insert(1, ("text", HomePageBlocks.base_blocks["text"].to_python("<h2>Our story</h2><p>Since 1990.</p>")))
        home.body = body
        home.save_revision().publish()
        page = soup(self.client.get("/"))
        self.assertEqual(page.select_one(".home-section.prose h2").get_text(), "Our story")

    def test_the_area_block_leaves_out_areas_without_live_conditions(self):
        factories.make_condition(title="Runner's Knee", body_areas=["knee", "sports"])
        tiles = [tile["href"] for tile in soup(self.client.get("/")).select(".area-tile")]
        self.assertEqual(tiles, ["/conditions/?area=spine", "/conditions/?area=knee", "/conditions/?area=sports"])
        ConditionPage.objects.get(slug="runners-knee").unpublish()
        tiles = [tile["href"] for tile in soup(self.client.get("/")).select(".area-tile")]
        self.assertEqual(tiles, ["/conditions/?area=spine"])


class HostileHomePageContentTests(TestCase):
    """What an editor types into the home page's blocks is shown as text, never as markup."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_markup_in_the_hero_and_reasons_is_escaped(self):
        home = factories.home_page()
        body = [(block.block_type, block.value) for block in home.body]
        body[0][1]["heading"] = '<script>alert("hero")</script>'
        reasons = next(value for kind, value in body if kind == "reasons")
        reasons["reasons"][0]["text"] = '<img src=x onerror="alert(1)">'
        home.body = body
        home.save_revision().publish()
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, '<script>alert("hero")')
        self.assertNotContains(response, "<img src=x")
        page = soup(response)
        self.assertEqual(page.h1.get_text(), '<script>alert("hero")</script>')

    def test_a_script_address_on_a_button_is_refused(self):
        with self.assertRaises(Exception) as caught:
            ActionBlock().clean({"label": "Go", "page": None, "url": "javascript:alert(1)"})
        self.assertIn("url", caught.exception.block_errors)


class OptionalButtonTests(TestCase):
    def test_an_empty_button_is_allowed_and_one_with_a_destination_needs_words(self):
        block = ActionBlock(required=False)
        self.assertEqual(block.clean({"label": "", "page": None, "url": ""})["label"], "")
        with self.assertRaises(Exception) as caught:
            block.clean({"label": "", "page": None, "url": "https://example.com/"})
        self.assertIn("label", caught.exception.block_errors)


class RenditionsMadeOnPublishTests(TestCase):
    """The first visitor to a page with a hero, clinic or condition image gets files made already."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_pages_with_pictures_are_shown_without_making_a_rendition(self):
        image = factories.make_image("Knee model")
        image.description = "A model of the knee joint"
        image.save()
        factories.publish_change(self.seed, image=image)
        for url in ("/", "/locations/charleston/", self.seed.url):
            before = Rendition.objects.count()
            self.assertEqual(self.client.get(url).status_code, 200)
            self.assertEqual(Rendition.objects.count(), before, url)
