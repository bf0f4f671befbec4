from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from appointments.models import AppointmentPage
from conditions.blocks import CausesBlock
from conditions.models import ConditionIndexPage, ConditionPage
from home.models import PracticeSettings, StandardPage
from tests import factories
from tests.jsonld import graph_from, nodes_by_type


def list_block(items):
    """Form data for a ListBlock, in the shape the page editor posts."""
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class ConditionPageAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.index = ConditionIndexPage.objects.get()
        cls.contact = Page.objects.get(slug="contact").specific
        cls.image = factories.make_image()
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def test_editor_creates_a_condition_page_with_every_block_type(self):
        body = streamfield(
            [
                ("symptoms", {"heading": "Symptoms", "intro": "", "symptoms": list_block(["Leg pain"])}),
                (
                    "causes",
                    {
                        "heading": "Causes",
                        "intro": "",
                        "causes": list_block([{"name": "Herniated disc", "explanation": "Pressure on a nerve."}]),
                    },
                ),
                (
                    "complications",
                    {
                        "heading": "Complications",
                        "text": rich_text("<p>Weakness.</p>"),
                        "complications": list_block([]),
                    },
                ),
                (
                    "treatment",
                    {
                        "heading": "Treatment",
                        "intro": "Options:",
                        "options": list_block([{"name": "Rest", "kind": "home_care", "explanation": "A few days."}]),
                    },
                ),
                (
                    "when_to_seek_care",
                    {"heading": "When to call", "urgency": "urgent", "text": rich_text("<p>Numbness.</p>")},
                ),
                (
                    "faq",
                    {
                        "heading": "FAQ",
                        "questions": list_block([{"question": "How long?", "answer": rich_text("<p>Weeks.</p>")}]),
                    },
                ),
                ("text_section", {"heading": "More", "text": rich_text("<p>Stay active.</p>")}),
                ("image", {"image": {"image": self.image.pk, "decorative": "", "alt_text": "Spine"}, "caption": ""}),
                ("call_to_action", {"text": "Talk to us.", "link_label": "Book", "page": self.contact.pk}),
                (
                    "references",
                    {
                        "heading": "References",
                        "references": list_block(
                            [
                                {
                                    "title": "A guideline",
                                    "authors": "",
                                    "author_kind": "people",
                                    "published_in": "",
                                    "year": "",
                                    "url": "",
                                    "doi": "",
                                    "pmid": "",
                                }
                            ]
                        ),
                    },
                ),
            ]
        )
        data = nested_form_data(
            {
                "title": "Lumbar Radiculopathy",
                "slug": "lumbar-radiculopathy",
                "summary": "Pain from a pinched nerve root in the lower back.",
                "other_names": "Sciatica",
                "body": body,
                "reviewed_by": "",
                "last_reviewed": "",
                "next_review_due": "",
            }
        )
        self.assertCanCreate(self.index, ConditionPage, data)

        page = ConditionPage.objects.get(slug="lumbar-radiculopathy")
        # Every block type the body offers, saved in the order posted (the order the body defines them).
        every_block_type = list(ConditionPage._meta.get_field("body").stream_block.child_blocks)
        self.assertEqual([block.block_type for block in page.body], every_block_type)
        response = self.client.get(page.url)
        self.assertContains(
            response,
            '<strong>Herniated disc</strong><span class="named-list__dash"> – </span>Pressure on a nerve.',
            html=True,
        )

    def test_causes_block_needs_at_least_one_cause(self):
        block = CausesBlock()
        with self.assertRaises(StructBlockValidationError):
            block.clean(block.to_python({"heading": "Causes", "intro": "", "causes": []}))

    def test_edit_form_opens_with_the_medical_review_record_once_reviewed(self):
        page = ConditionPage.objects.get(slug="sciatica-back-spasms")
        response = self.client.get(f"/admin/pages/{page.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Title tag")
        self.assertContains(response, "Meta description")
        # Never reviewed: no empty read-only review boxes.
        record = 'id="panel-child-content-medical_review-section"'
        self.assertNotContains(response, record)
        self.assertNotContains(response, 'for="id_last_reviewed"')

        reviewed = factories.make_condition(title="Gout", slug="gout", **factories.reviewed())
        response = self.client.get(f"/admin/pages/{reviewed.pk}/edit/")
        self.assertContains(response, record)
        self.assertContains(response, "Jane Doe, MD")


class ConditionPageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        contact = Page.objects.get(slug="contact").specific
        cls.page = factories.make_condition(
            title="Sciatica",
            slug="sciatica",
            other_names="Lumbar radiculopathy, Sciatic nerve pain",
            body=factories.every_block_body(contact, factories.make_image()),
            **factories.reviewed(),
        )

    def setUp(self):
        self.response = self.client.get(self.page.url)
        self.html = soup(self.response)

    def test_renders_with_one_h1_and_headings_in_order(self):
        self.assertEqual(self.response.status_code, 200)
        self.assertEqual([h1.get_text() for h1 in self.html.find_all("h1")], ["Sciatica"])
        main = self.html.find("main")
        levels = [int(tag.name[1]) for tag in main.find_all(["h1", "h2", "h3", "h4"])]
        for previous, current in zip(levels, levels[1:], strict=False):
            self.assertLessEqual(current - previous, 1, f"heading jumps from h{previous} to h{current}")

    def test_symptoms_block(self):
        section = self.html.select_one("section.block-symptoms")
        self.assertEqual(section.h2.get_text(), "Symptoms")
        self.assertEqual([li.get_text() for li in section.find_all("li")], ["Pain down one leg", "Numb toes"])

    def test_causes_block_renders_a_list_of_named_causes(self):
        section = self.html.select_one("section.block-causes")
        self.assertEqual(section.p.get_text(), "Usually one of these:")
        items = [li.get_text(" ", strip=True) for li in section.select("ul > li")]
        self.assertEqual(
            items,
            [
                "Herniated disc – A disc presses on the sciatic nerve.",
                "Spinal stenosis – The spinal canal narrows with age.",
            ],
        )

    def test_complications_block(self):
        section = self.html.select_one("section.block-complications")
        self.assertIn("Untreated compression can weaken the leg.", section.get_text())
        self.assertEqual(section.li.get_text(), "Leg weakness")

    def test_treatment_block_shows_each_option_with_its_kind(self):
        section = self.html.select_one("section.block-treatment")
        options = [h3.get_text(" ", strip=True) for h3 in section.find_all("h3")]
        self.assertEqual(options, ["Epidural steroid injection Injection", "Microdiscectomy Surgery"])

    def test_when_to_seek_care_card_shows_urgency_with_a_911_link(self):
        card = self.html.select_one("section.care-card--emergency")
        self.assertEqual(card.h2.get_text(), "When to call 911")
        self.assertEqual(card.find("a", href="tel:911").get_text(), "call 911")

    def test_faq_block(self):
        section = self.html.select_one("section.block-faq")
        self.assertEqual(section.h3.get_text(), "Will it go away?")
        self.assertIn("Often within weeks.", section.get_text())

    def test_text_section_block(self):
        section = self.html.select_one("section.block-text")
        self.assertEqual(section.h2.get_text(), "Living with sciatica")
        self.assertEqual(section.b.get_text(), "moving")

    def test_image_block_renders_responsive_picture_with_alt_and_dimensions(self):
        figure = self.html.select_one("figure.block-image")
        img = figure.find("img")
        self.assertEqual(img["alt"], "A model of the lumbar spine")
        self.assertEqual(img["loading"], "lazy")
        self.assertTrue(img.get("width") and img.get("height"))
        types = {source.get("type") for source in figure.find_all("source")}
        self.assertEqual(types, {"image/avif", "image/webp"})

    def test_call_to_action_links_to_the_contact_page(self):
        cta = self.html.select_one("aside.cta")
        link = cta.find("a")
        self.assertEqual(link["href"], f"/contact/?from={self.page.pk}")
        self.assertEqual(link.get_text(), "Request an appointment")

    def test_medical_review_line(self):
        self.assertContains(
            self.response,
            'Medically reviewed by Jane Doe, MD · Last reviewed <time datetime="2026-11-02">November 2, 2026</time>',
        )

    def test_other_names_are_shown(self):
        self.assertContains(self.response, "Also known as: Lumbar radiculopathy, Sciatic nerve pain")

    def test_meta_description_falls_back_to_summary_and_seo_title_wins(self):
        description = self.html.find("meta", attrs={"name": "description"})["content"]
        self.assertEqual(description, "Sciatica is a condition we treat.")
        self.page.seo_title = "Sciatica doctor in Charleston"
        self.page.search_description = "See a sciatica specialist."
        self.page.save_revision().publish()
        html = soup(self.client.get(self.page.url))
        self.assertEqual(html.title.get_text(), "Sciatica doctor in Charleston | SC Sports Medicine")
        self.assertEqual(html.find("meta", attrs={"name": "description"})["content"], "See a sciatica specialist.")

    def test_unreviewed_page_makes_no_review_claim(self):
        page = factories.make_condition(title="Bursitis", slug="bursitis")
        self.assertNotContains(self.client.get(page.url), "Medically reviewed")

    def test_index_lists_live_conditions_only(self):
        factories.make_condition(title="Draft condition", slug="draft", publish=False)
        html = soup(self.client.get("/conditions/"))
        titles = [h2.get_text() for h2 in html.select("main .card h2")]
        self.assertEqual(titles, ["Sciatica", "Sciatica / Back Spasms"])

    def test_review_dates_are_dates(self):
        # The review fields go through a revision's JSON (approval writes them there as text): read
        # back, they must still be dates, or the page would show no date and the graph none or a wrong one.
        # The editor's draft view reads the latest revision once it holds unpublished changes.
        page = ConditionPage.objects.get(pk=self.page.pk)
        page.seo_title = "Sciatica doctor in Charleston"  # leaves the reviewed content as it was
        page.save_revision()
        editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
        self.client.force_login(editor)
        draft = self.client.get(reverse("wagtailadmin_pages:view_draft", args=[self.page.pk]))
        for seen_as, response in (("live page", self.response), ("editor's draft view", draft)):
            with self.subTest(seen_as):
                self.assertContains(response, '<time datetime="2026-11-02">November 2, 2026</time>', html=True)
                (webpage,) = nodes_by_type(graph_from(response), "MedicalWebPage")
                self.assertEqual(webpage["lastReviewed"], "2026-11-02")


def call_to_action(page=None, label="Book a visit"):
    return ("call_to_action", {"text": "Talk to us about your pain.", "link_label": label, "page": page})


class CallToActionDestinationTests(WagtailPageTestCase):
    """Calls to action lead to the appointment page of Settings → Practice unless they choose a page."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.contact = AppointmentPage.objects.get(slug="contact")
        cls.about = factories.home_page().add_child(instance=StandardPage(title="About us", slug="about"))
        cls.page = factories.make_condition(title="Tendinitis", slug="tendinitis", body=[call_to_action()])
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def cta_link(self, page):
        return soup(self.client.get(page.url)).select_one("aside.cta a")

    def test_the_appointment_page_is_a_practice_setting_limited_to_appointment_pages(self):
        practice = PracticeSettings.load()
        self.assertEqual(practice.appointment_page_id, self.contact.pk)
        practice.appointment_page = self.about
        with self.assertRaises(ValidationError) as refused:
            practice.full_clean()
        self.assertIn("appointment_page", refused.exception.message_dict)
        self.client.force_login(self.user)
        response = self.client.get(reverse("wagtailsettings:edit", args=["home", "practicesettings", practice.pk]))
        self.assertContains(response, "Appointment page")
        self.assertContains(response, "Choose a page (Appointment request page)")

    def test_call_to_action_without_a_page_leads_to_the_appointment_page_with_where_it_came_from(self):
        link = self.cta_link(self.page)
        self.assertEqual(link["href"], f"/contact/?from={self.page.pk}")
        self.assertEqual(link.get_text(), "Book a visit")
        form = soup(self.client.get(link["href"]))
        self.assertEqual(form.select_one("input[name=came_from]")["value"], str(self.page.pk))
        self.assertEqual(
            self.page.content_problems(),
            [
                "No “Symptoms” block: list what patients notice. It is needed before medical review.",
                "No “When to seek care” block: tell patients when to see a doctor or call 911.",
            ],
        )

    def test_call_to_action_whose_page_is_unpublished_leads_to_the_appointment_page(self):
        self.about.save_revision().publish()
        page = factories.make_condition(title="Bursitis", slug="bursitis", body=[call_to_action(self.about)])
        self.assertEqual(self.cta_link(page)["href"], f"/about/?from={page.pk}")
        self.about.unpublish()
        self.assertEqual(self.cta_link(page)["href"], f"/contact/?from={page.pk}")

    def test_after_the_contact_page_is_deleted(self):
        seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
        self.client.force_login(self.user)
        response = self.client.post(reverse("wagtailadmin_pages:delete", args=[self.contact.pk]))
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[factories.home_page().pk]))
        self.assertFalse(Page.objects.filter(slug="contact").exists())
        self.assertIsNone(PracticeSettings.load().appointment_page)

        # The content checks say what is missing instead of counting the block as a call to action.
        stranded = (
            "A call to action has no page to lead to, so patients see no button: choose a page in the block, "
            "or set the appointment page in Settings → Practice."
        )
        for page in (seed, self.page):
            page = ConditionPage.objects.get(pk=page.pk)
            self.assertIn(stranded, page.content_problems())
            # …and the page may still be published: the block's page is optional.
            page.body.stream_block.clean(page.body)
        self.assertContains(self.client.get(reverse("wagtailadmin_pages:edit", args=[seed.pk])), stranded)

        self.client.logout()
        cta = soup(self.client.get(seed.url)).select_one("aside.cta")
        self.assertIn("Contact South Carolina Sports Medicine", cta.get_text())
        self.assertIsNone(cta.find("a"))
        home = soup(self.client.get("/"))
        self.assertEqual(home.select('a[href^="/contact"]'), [])
        # The hero keeps its other button; the one to the appointment page is gone.
        self.assertEqual([a.get_text() for a in home.select(".hero a.button")], ["Find your condition"])
        not_found = self.client.get("/no-such-page/")
        self.assertEqual(not_found.status_code, 404)
        links = [a["href"] for a in soup(not_found).select("main a")]
        self.assertEqual(links, ["/", "/conditions/", "tel:+18435550100"])

    def test_home_page_and_404_follow_a_renamed_appointment_page(self):
        self.assertEqual(soup(self.client.get("/")).select_one(".hero a.button")["href"], "/contact/")
        self.contact.slug = "book"
        self.contact.save_revision().publish()
        button = soup(self.client.get("/")).select_one(".hero a.button")
        self.assertEqual((button["href"], button.get_text()), ("/book/", "Request an appointment"))
        self.assertEqual(self.cta_link(self.page)["href"], f"/book/?from={self.page.pk}")
        not_found = soup(self.client.get("/contact/"))
        self.assertEqual(not_found.find("a", string="Request an appointment")["href"], "/book/")

    def test_404_links_follow_the_conditions_index(self):
        index = ConditionIndexPage.objects.get()
        index.slug = "what-we-treat"
        index.save_revision().publish()
        not_found = soup(self.client.get("/conditions/"))
        self.assertEqual(not_found.find("a", string="Browse the conditions we treat")["href"], "/what-we-treat/")


class PageRemovalWarningTests(WagtailPageTestCase):
    """Deleting or unpublishing a page says what will break and offers a redirect from its address."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.contact = AppointmentPage.objects.get(slug="contact")
        cls.locations = Page.objects.get(slug="locations")
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def warning(self, response):
        section = soup(response).select_one("section[aria-labelledby=page-removal-heading]")
        return " ".join(section.get_text(" ").split()) if section else ""

    def test_delete_confirmation_names_what_will_break(self):
        response = self.client.get(reverse("wagtailadmin_pages:delete", args=[self.contact.pk]))
        # Wagtail's own count stays; the list below it says what each reference will do.
        self.assertContains(response, "This appointment request page is referenced 2 times.")
        warning = self.warning(response)
        self.assertIn("What deleting this page will break", warning)
        self.assertIn(
            "This is the appointment page in Settings → Practice . Calls to action will have nowhere to go", warning
        )
        self.assertIn(
            "Sciatica / Back Spasms Body → Call to action: its button will disappear: there is no other "
            "appointment page in Settings → Practice.",
            warning,
        )
        self.assertIn("Charleston Clinic Booking page: will be left empty.", warning)
        html = soup(response)
        self.assertEqual(html.find("a", string="Sciatica / Back Spasms")["href"], f"/admin/pages/{self.seed.pk}/edit/")
        self.assertEqual(html.select_one("form input[name=redirect_to]")["type"], "hidden")
        self.assertEqual(html.select_one("label[for=id_redirect_to]").get_text(strip=True), "Redirect /contact/ to")

    def test_with_another_appointment_page_calls_to_action_fall_back_to_it(self):
        other = factories.home_page().add_child(instance=AppointmentPage(title="Book a Visit", slug="book"))
        other.save_revision().publish()
        practice = PracticeSettings.load()
        practice.appointment_page = other
        practice.save()
        warning = self.warning(self.client.get(reverse("wagtailadmin_pages:delete", args=[self.contact.pk])))
        self.assertNotIn("This is the appointment page", warning)
        self.assertIn(
            "Body → Call to action: its button will lead to the appointment page, “Book a Visit”, instead.", warning
        )

    def test_a_page_nothing_links_to_shows_no_warning(self):
        unlinked = Page.objects.get(slug="epidural-steroid-injection")
        response = self.client.get(reverse("wagtailadmin_pages:delete", args=[unlinked.pk]))
        self.assertEqual(self.warning(response), "")
        self.assertContains(response, "Yes, delete it")

    def test_deleting_a_clinic_says_which_clinicians_lose_it(self):
        response = self.client.get(reverse("wagtailadmin_pages:delete", args=[self.locations.pk]))
        self.assertIn(
            "Morgan Example Physician clinic → Clinic: the physician clinic will also be deleted",
            self.warning(response),
        )

    def test_deleting_with_a_redirect(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:delete", args=[self.contact.pk]), {"redirect_to": self.locations.pk}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AppointmentPage.objects.exists())
        redirect = Redirect.objects.get(old_path="/contact")
        self.assertEqual((redirect.redirect_page_id, redirect.is_permanent), (self.locations.pk, True))
        messages = [str(message) for message in get_messages(response.wsgi_request)]
        self.assertIn("Visitors to /contact/ are now sent to “Our Locations”.", messages)
        self.client.logout()
        self.assertRedirects(self.client.get("/contact/"), "/locations/", status_code=301)

    def test_a_redirect_to_the_page_being_deleted_is_refused_and_nothing_is_deleted(self):
        url = reverse("wagtailadmin_pages:delete", args=[self.contact.pk])
        response = self.client.post(url, {"redirect_to": self.contact.pk}, follow=True)
        self.assertTrue(AppointmentPage.objects.filter(pk=self.contact.pk).exists())
        self.assertFalse(Redirect.objects.filter(old_path="/contact").exists())
        self.assertContains(response, "The page was not deleted. Choose a live page that is not being removed.")

    def test_unpublishing_warns_and_redirects(self):
        url = reverse("wagtailadmin_pages:unpublish", args=[self.contact.pk])
        warning = self.warning(self.client.get(url))
        self.assertIn("What unpublishing this page will break", warning)
        self.assertIn("Charleston Clinic Booking page: will point at a page visitors cannot see.", warning)
        self.client.post(url, {"redirect_to": factories.home_page().pk})
        self.assertFalse(AppointmentPage.objects.get(pk=self.contact.pk).live)
        self.client.logout()
        self.assertRedirects(self.client.get("/contact/"), "/", status_code=301)
