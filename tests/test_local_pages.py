from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.models import ConditionPage, LocalConditionPage
from locations.models import LocationIndexPage, LocationPage
from tests import factories

LOCAL_STORY = (
    "Our Mount Pleasant office sits beside Shem Creek, five minutes from the Ravenel Bridge. "
    "Dr. Alvarez and physical therapist Morgan Lee see shrimpers, boat builders and weekend "
    "paddleboarders whose jobs and hobbies twist the lower spine. Appointments start at seven "
    "so commuters heading downtown can come before work, and the gym downstairs lets us watch "
    "you lift, row or climb stairs during evaluation. Free parking fills quickly after ten; the "
    "overflow lot behind the pharmacy is closer than it looks. Many neighbors ask whether ferry "
    "rides, long drives across Interstate 526 or golf at Patriots Point worsen flare-ups; we answer "
    "those questions individually, write home exercise programs around tide schedules, and "
    "coordinate imaging with the hospital on Highway 17 so nobody waits weeks for results."
)


def list_block(items):
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


class LocalConditionPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        index = LocationIndexPage.objects.get()
        cls.clinic = index.add_child(
            instance=LocationPage(
                title="Mount Pleasant Clinic",
                street_address="1 Coleman Blvd",
                city="Mount Pleasant",
                state="SC",
                postal_code="29464",
                phone="843-555-0142",
            )
        )
        cls.clinic.conditions_treated = [cls.seed]
        cls.clinic.save_revision().publish()
        cls.user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def post_local_page(self, title, text, action="action-publish", location=None):
        data = nested_form_data(
            {
                "title": title,
                "slug": title.lower().replace(" ", "-"),
                "location": (location or self.clinic).pk,
                "summary": f"{title}.",
                "body": streamfield([("text_section", {"heading": "In town", "text": rich_text(f"<p>{text}</p>")})]),
            }
        )
        data[action] = action
        return self.client.post(f"/admin/pages/add/conditions/localconditionpage/{self.seed.pk}/", data)

    def test_thin_copy_of_the_parent_cannot_be_published_and_editors_see_why(self):
        copied = " ".join(block.render_as_block() for block in self.seed.body).replace("Charleston", "Mount Pleasant")
        response = self.post_local_page(
            "Back Spasms in Mount Pleasant", BeautifulSoup(copied, "html.parser").get_text()
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This local page cannot be published yet.")
        self.assertContains(response, "words of its own")
        self.assertFalse(LocalConditionPage.objects.filter(live=True).exists())

    def test_thin_page_can_still_be_saved_as_a_draft(self):
        response = self.post_local_page(
            "Back Spasms in Mount Pleasant", "Back spasms in Mount Pleasant.", "action-save"
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(LocalConditionPage.objects.get().live)

    def test_substantive_local_page_is_published_and_canonical_to_itself(self):
        response = self.post_local_page("Back Spasm Care in Mount Pleasant", LOCAL_STORY)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page = LocalConditionPage.objects.get()
        self.assertTrue(page.live)
        self.client.logout()
        html = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(html.find("link", rel="canonical")["href"], f"http://testserver{page.url}")
        self.assertEqual(html.find("meta", attrs={"name": "robots"})["content"], "index, follow")
        self.assertIn(f"http://testserver{page.url}", self.client.get("/sitemap.xml").content.decode())
        parent_html = self.client.get(self.seed.url).content.decode()
        self.assertIn(f'href="{page.url}"', parent_html)

    def test_near_copy_of_a_sibling_is_refused(self):
        self.assertEqual(self.post_local_page("Back Spasm Care in Mount Pleasant", LOCAL_STORY).status_code, 302)
        response = self.post_local_page("Sciatica Care in Mount Pleasant", LOCAL_STORY + " Sciatica too.")
        self.assertContains(response, "the same as")

    def test_location_must_treat_the_condition(self):
        other = LocationIndexPage.objects.get().add_child(
            instance=LocationPage(
                title="Summerville Clinic",
                street_address="2 Main St",
                city="Summerville",
                state="SC",
                postal_code="29483",
                phone="843-555-0143",
            )
        )
        response = self.post_local_page("Back Spasm Care in Summerville", LOCAL_STORY, location=other)
        self.assertContains(response, "is not listed as treated at Summerville Clinic")

    def test_page_published_around_the_guard_is_hidden_from_search_engines(self):
        page = self.seed.add_child(
            instance=LocalConditionPage(
                title="Thin", slug="thin", location=self.clinic, summary="Thin.", body=[], live=False
            )
        )
        page.save_revision().publish()  # e.g. a scheduled publish, which skips the editor's form
        self.client.logout()
        html = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(html.find("meta", attrs={"name": "robots"})["content"], "noindex, follow")
        self.assertEqual(html.find("link", rel="canonical")["href"], f"http://testserver{self.seed.url}")
        self.assertNotIn("/thin/", self.client.get("/sitemap.xml").content.decode())
        self.assertNotIn(
            'href="/conditions/sciatica-back-spasms/thin/"', self.client.get(self.seed.url).content.decode()
        )


class CrossLinkTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_location_page_lists_the_conditions_treated_there(self):
        html = BeautifulSoup(self.client.get("/locations/charleston/").content, "html.parser")
        links = {a.get_text(): a["href"] for a in html.find("main").find_all("a")}
        self.assertEqual(links["Sciatica / Back Spasms"], "/conditions/sciatica-back-spasms/")

    def test_condition_page_shows_where_we_treat_it(self):
        html = BeautifulSoup(self.client.get(self.seed.url).content, "html.parser")
        section = html.find("section", class_="where-we-treat")
        self.assertEqual(section.h2.get_text(), "Where we treat this")
        self.assertEqual(section.find("a", string="Charleston Clinic")["href"], "/locations/charleston/")

    def test_unpublished_clinic_is_not_shown(self):
        LocationPage.objects.get(slug="charleston").unpublish()
        self.assertNotContains(self.client.get(self.seed.url), "Where we treat this")
        self.assertEqual(ConditionPage.objects.get(pk=self.seed.pk).treated_at_locations.count(), 1)
