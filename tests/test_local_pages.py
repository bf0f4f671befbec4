import re

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.models import ConditionPage, LocalConditionPage
from home.models import PracticeSettings
from locations.models import LocationPage
from tests import factories
from tests.jsonld import check_graph, graph_from, nodes_by_type, schema_problems
from tests.test_medical_review import make_user

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


def add_mount_pleasant_clinic(treats):
    """A live clinic in Mount Pleasant that treats these conditions."""
    return factories.make_clinic(
        "Mount Pleasant Clinic",
        street_address="1 Coleman Blvd",
        city="Mount Pleasant",
        postal_code="29464",
        phone="843-555-0142",
        treats=treats,
    )


def text_body(text):
    return [("text_section", {"heading": "In town", "text": RichText(f"<p>{text}</p>")})]


def make_local_page(parent, title, text, clinic):
    """A live local page, published without the editor's form."""
    page = parent.add_child(
        instance=LocalConditionPage(title=title, location=clinic, summary=f"{title}.", body=text_body(text), live=False)
    )
    page.save_revision().publish()
    return page


def robots_and_canonical(client, url):
    html = BeautifulSoup(client.get(url).content, "html.parser")
    return html.find("meta", attrs={"name": "robots"})["content"], html.find("link", rel="canonical")["href"]


def admin_messages(response):
    """The messages the admin shows at the top of the screen, as text without their buttons."""
    items = BeautifulSoup(response.content, "html.parser").select(".messages li")
    for button in [button for item in items for button in item.find_all("button")]:
        button.decompose()
    return [item.get_text(" ", strip=True) for item in items]


def list_block(items):
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


class LocalConditionPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.clinic = add_mount_pleasant_clinic(treats=[cls.seed])
        cls.user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        cls.editor = make_user("marketing", "Editors")
        cls.reviewer = make_user("drdoe", "Medical reviewers", first_name="Jane", last_name="Doe")

    def setUp(self):
        self.client.force_login(self.user)

    @property
    def add_url(self):
        return f"/admin/pages/add/conditions/localconditionpage/{self.seed.pk}/"

    def local_page_data(self, title, text, action="action-publish", location=None):
        data = nested_form_data(
            {
                "title": title,
                "slug": title.lower().replace(" ", "-"),
                "location": (location or self.clinic).pk,
                "summary": f"{title}.",
                "body": streamfield([("text_section", {"heading": "In town", "text": rich_text(f"<p>{text}</p>")})]),
            }
        )
        if action:
            data[action] = action
        return data

    def post_local_page(self, title, text, action="action-publish", location=None):
        return self.client.post(self.add_url, self.local_page_data(title, text, action, location))

    def test_the_new_page_form_shows_the_slug_and_search_preview_on_the_promote_tab(self):
        # Without them the editor's first submission always failed: the slug is required and the
        # field the admin's script fills from the title was missing.
        response = self.client.get(self.add_url)
        self.assertEqual(response.status_code, 200)
        promote = BeautifulSoup(response.content, "html.parser").find(id="tab-promote")
        self.assertIsNotNone(promote.find("input", attrs={"name": "slug"}))
        self.assertIsNotNone(promote.find("input", attrs={"name": "seo_title"}))
        self.assertEqual(
            promote.find(attrs={"data-seo-preview-url": True}).get_text(),
            "http://testserver/conditions/sciatica-back-spasms/",
        )

    def test_a_page_without_a_clinic_yet_takes_the_primary_clinics_town_in_title_templates(self):
        page = LocalConditionPage(title="Sciatica Care")
        self.assertIsNone(page.get_location())
        variables = page.template_variables(PracticeSettings.load())
        self.assertEqual((variables["city"], variables["state"]), ("Charleston", "SC"))

    def test_an_editor_saves_a_draft_then_a_medical_reviewer_approves_it(self):
        self.client.force_login(self.editor)
        title = "Back Spasm Care in Mount Pleasant"
        draft = nested_form_data(
            {
                "title": title,
                "slug": "back-spasm-care",
                "location": self.clinic.pk,
                "summary": "",
                "body": streamfield([]),
            }
        )
        self.assertEqual(self.client.post(self.add_url, draft).status_code, 302)
        page = LocalConditionPage.objects.get()
        self.assertFalse(page.live)

        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = self.local_page_data(title, LOCAL_STORY, "action-submit") | {"slug": "back-spasm-care"}
        response = self.client.post(edit_url, data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task.name, "Medical reviewer approval")

        self.client.force_login(self.reviewer)
        approve = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", page.current_workflow_task_state.pk]
        )
        self.client.post(approve, {"comment": ""})
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.client.logout()
        self.assertEqual(robots_and_canonical(self.client, page.url), ("index, follow", f"http://testserver{page.url}"))

    def test_an_editor_cannot_submit_a_thin_page_for_review(self):
        self.client.force_login(self.editor)
        response = self.post_local_page("Back Spasms in Mount Pleasant", "Back spasms.", "action-submit")
        self.assertContains(response, "This local page cannot be published yet.")
        self.assertFalse(LocalConditionPage.objects.exists())

    def test_restarting_the_workflow_checks_the_page_again(self):
        self.client.force_login(self.editor)
        title = "Back Spasm Care in Mount Pleasant"
        self.assertEqual(self.post_local_page(title, LOCAL_STORY, "action-submit").status_code, 302)
        page = LocalConditionPage.objects.get()
        self.client.force_login(self.reviewer)
        request_changes = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "reject", page.current_workflow_task_state.pk],
        )
        self.client.post(request_changes, {"comment": "Say more about the clinic."})
        self.client.force_login(self.editor)
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(edit_url, self.local_page_data(title, "Back spasms.", "action-restart-workflow"))
        self.assertContains(response, "This local page cannot be published yet.")

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
        other = factories.make_clinic("Summerville Clinic")
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
        self.assertEqual(html.find("link", rel="canonical")["href"], f"http://testserver{page.url}")
        self.assertNotIn("/thin/", self.client.get("/sitemap.xml").content.decode())
        self.assertNotIn(
            'href="/conditions/sciatica-back-spasms/thin/"', self.client.get(self.seed.url).content.decode()
        )


class LocalPageSignalsTests(WagtailPageTestCase):
    """What a local page tells search engines: a town-targeted title and a MedicalWebPage about the
    main page's condition, naming its clinic."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.clinic = add_mount_pleasant_clinic(treats=[cls.seed])
        cls.page = make_local_page(cls.seed, "Back Spasm Care in Mount Pleasant", LOCAL_STORY, cls.clinic)

    def test_title_names_the_condition_and_the_clinics_town(self):
        html = BeautifulSoup(self.client.get(self.page.url).content, "html.parser")
        self.assertEqual(html.title.get_text(), "Sciatica / Back Spasms Care in Mount Pleasant, SC")
        self.assertEqual(html.find("meta", property="og:type")["content"], "article")

    def test_graph_is_a_medical_web_page_about_the_main_condition_naming_its_clinic(self):
        graph = graph_from(self.client.get(self.page.url))
        check_graph(self, graph)
        [webpage] = nodes_by_type(graph, "MedicalWebPage")
        [condition] = nodes_by_type(graph, "MedicalCondition")
        [clinic] = nodes_by_type(graph, "MedicalClinic")
        self.assertEqual(condition["@id"], f"http://testserver{self.seed.url}#condition")
        self.assertEqual(condition["name"], "Sciatica / Back Spasms")
        self.assertEqual(webpage["about"], {"@id": condition["@id"]})
        self.assertEqual(webpage["mentions"], [{"@id": clinic["@id"]}])
        self.assertEqual(clinic["address"]["addressLocality"], "Mount Pleasant")
        self.assertEqual(schema_problems(graph), [])


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


class MovingLocalPagesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.clinic = add_mount_pleasant_clinic(treats=[cls.seed])
        cls.knee = factories.make_condition(title="Knee Pain", summary="Knee pain has many causes.")
        cls.user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        cls.page = make_local_page(cls.seed, "Back Spasm Care in Mount Pleasant", LOCAL_STORY, cls.clinic)

    def setUp(self):
        self.client.force_login(self.user)

    def treat_knee_pain_at_the_clinic(self):
        self.clinic.conditions_treated.add(self.knee)
        self.clinic.save_revision().publish()

    def parent_of(self, page):
        return Page.objects.get(pk=page.pk).get_parent().specific

    @property
    def confirm_url(self):
        return reverse("wagtailadmin_pages:move_confirm", args=[self.page.pk, self.knee.pk])

    def test_a_move_under_a_condition_the_clinic_does_not_treat_is_refused_with_the_reason(self):
        response = self.client.get(self.confirm_url, follow=True)
        self.assertRedirects(response, reverse("wagtailadmin_pages:move", args=[self.page.pk]))
        self.assertEqual(
            admin_messages(response),
            [
                "“Back Spasm Care in Mount Pleasant” cannot be moved under “Knee Pain”. Knee Pain is not listed as "
                "treated at Mount Pleasant Clinic. Add it to the clinic's conditions first."
            ],
        )
        self.client.post(self.confirm_url)
        self.assertEqual(self.parent_of(self.page), self.seed)

    def test_a_bulk_move_under_a_condition_the_clinic_does_not_treat_is_refused(self):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"]) + f"?id={self.page.pk}"
        response = self.client.post(url, {"chooser": self.knee.pk}, follow=True)
        self.assertIn(
            "“Back Spasm Care in Mount Pleasant” cannot be moved under “Knee Pain”. Knee Pain is not listed as "
            "treated at Mount Pleasant Clinic. Add it to the clinic's conditions first.",
            admin_messages(response),
        )
        self.assertEqual(self.parent_of(self.page), self.seed)

    def test_a_move_the_clinic_allows_keeps_a_substantive_page_indexable(self):
        self.treat_knee_pain_at_the_clinic()
        response = self.client.post(self.confirm_url, follow=True)
        self.assertEqual(admin_messages(response), ["Page 'Back Spasm Care in Mount Pleasant' moved. Edit"])
        self.assertEqual(self.parent_of(self.page), self.knee)
        moved = LocalConditionPage.objects.get(pk=self.page.pk)
        self.client.logout()
        self.assertEqual(
            robots_and_canonical(self.client, moved.url), ("index, follow", f"http://testserver{moved.url}")
        )
        self.assertIn(f'href="{moved.url}"', self.client.get(self.knee.url).content.decode())

    def test_the_same_clinic_text_under_two_conditions_fails_both_and_a_move_says_so(self):
        self.treat_knee_pain_at_the_clinic()
        old_url = self.page.url
        self.client.logout()
        self.assertEqual(robots_and_canonical(self.client, old_url), ("index, follow", f"http://testserver{old_url}"))
        self.assertIn(f'href="{old_url}"', self.client.get(self.seed.url).content.decode())
        # The same story under another condition: a doorway, wherever it stands in the tree.
        sibling = make_local_page(self.knee, "Knee Care in Mount Pleasant", LOCAL_STORY + " Knees too.", self.clinic)
        for url in (old_url, sibling.url):
            # One signal: not indexed, and its own canonical address (not another page's).
            self.assertEqual(robots_and_canonical(self.client, url), ("noindex, follow", f"http://testserver{url}"))
        self.assertNotIn(f'href="{old_url}"', self.client.get(self.seed.url).content.decode())
        self.assertNotIn(sibling.url, self.client.get("/sitemap.xml").content.decode())

        self.client.force_login(self.user)
        warning = re.compile(
            "^Under “Knee Pain”, “Back Spasm Care in Mount Pleasant” fails the local-page check: search engines "
            "are asked not to index it. Its text is [0-9]+% the same as “Knee "
            r"Care in Mount Pleasant” \(at most 35% is allowed\)\. Rewrite it rather than copying\.$"
        )
        # Before the editor confirms the move, and with the confirmation once it is done.
        [before] = admin_messages(self.client.get(self.confirm_url))
        self.assertRegex(before, warning)
        after = admin_messages(self.client.post(self.confirm_url, follow=True))
        self.assertEqual(len([message for message in after if warning.match(message)]), 1, after)
        moved = LocalConditionPage.objects.get(pk=self.page.pk)
        self.assertEqual(moved.get_parent().pk, self.knee.pk)

        self.client.logout()
        for url in (moved.url, sibling.url):
            self.assertEqual(robots_and_canonical(self.client, url), ("noindex, follow", f"http://testserver{url}"))
        sitemap = self.client.get("/sitemap.xml").content.decode()
        self.assertNotIn(moved.url, sitemap)
        self.assertNotIn(sibling.url, sitemap)
        knee_html = self.client.get(self.knee.url).content.decode()
        self.assertNotIn(f'href="{moved.url}"', knee_html)
        self.assertNotIn(f'href="{sibling.url}"', knee_html)
        self.assertNotIn(f'href="{old_url}"', self.client.get(self.seed.url).content.decode())
