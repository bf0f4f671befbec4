"""Checks while typing: the page editor posts its unsaved form and gets the checks back as JSON;
and a meta description taken from a long summary is shortened to fit, at a word boundary."""

import re

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Revision
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.doorway import page_words
from conditions.models import ConditionPage, LocalConditionPage
from home.models import PracticeSettings, TitleTemplate
from seo.titles import META_DESCRIPTION_BUDGET
from tests import factories
from tests.page_editor import PageEditorTestData
from tests.test_condition_page import list_block
from tests.test_local_pages import LOCAL_STORY, add_mount_pleasant_clinic

SCRIPT_REQUEST = {"x-requested-with": "XMLHttpRequest"}  # as live-checks.js sends it
MISSING_SYMPTOMS_BLOCK = "No “Symptoms” block: list what patients notice. It is needed before medical review."
MISSING_CARE_BLOCK = "No “When to seek care” block: tell patients when to see a doctor or call 911."
MISSING_CALL_TO_ACTION = "No call to action: end with a way to ask for an appointment."

# 300 characters, the summary's budget: whole on the page, too long for a search result.
LONG_SUMMARY = (
    "Frozen shoulder stiffens the capsule around the shoulder joint until lifting the arm, reaching "
    "behind the back or sleeping on that side hurts. It usually eases in one to three years; "
    "stretching, physical therapy and a steroid injection help most people move freely again "
    "before surgery is considered."
)


def symptoms():
    return ("symptoms", {"heading": "Symptoms", "intro": "", "symptoms": list_block(["A stiff shoulder"])})


def when_to_seek_care():
    return (
        "when_to_seek_care",
        {"heading": "When to call us", "urgency": "urgent", "text": rich_text("<p>Fever.</p>")},
    )


def condition_form(title="Frozen Shoulder", summary="A stiff, painful shoulder.", body=(), **fields):
    """What the editor's form posts for a condition page."""
    return nested_form_data(
        {
            "title": title,
            "slug": "frozen-shoulder",
            "summary": summary,
            "other_names": "",
            "body": streamfield(list(body)),
            "seo_title": "",
            "search_description": "",
            **fields,
        }
    )


def local_form(text, title="Back Spasm Care in Mount Pleasant", clinic=None):
    """What the editor's form posts for a local condition page."""
    return nested_form_data(
        {
            "title": title,
            "slug": "back-spasm-care",
            "location": clinic.pk if clinic else "",
            "summary": "Care for back spasms at our Mount Pleasant clinic.",
            "body": streamfield([("text_section", {"heading": "In town", "text": rich_text(f"<p>{text}</p>")})]),
        }
    )


def make_user(username, group):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw")
    user.groups.add(group)
    return user


class LiveChecksEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The seed page as it was before it had symptoms and a when-to-seek-care card.
        cls.seed = factories.strip_blocks(factories.load_demo_site(), "symptoms", "when_to_seek_care")
        cls.index = factories.condition_index()
        cls.clinic = add_mount_pleasant_clinic(treats=[cls.seed])
        cls.editor = make_user("marketing", Group.objects.get(name="Editors"))
        # Signs in to the admin, may edit no page.
        onlookers = Group.objects.create(name="Onlookers")
        onlookers.permissions.add(Permission.objects.get(codename="access_admin"))
        cls.onlooker = make_user("onlooker", onlookers)

    def setUp(self):
        self.client.force_login(self.editor)

    def add_url(self, model, parent):
        return reverse("live_checks_on_add", args=[model._meta.app_label, model._meta.model_name, parent.pk])

    def edit_url(self, page):
        return reverse("live_checks_on_edit", args=[page.pk])

    def check(self, url, data):
        response = self.client.post(url, data, headers=SCRIPT_REQUEST)
        self.assertEqual(response.status_code, 200, response.content[:2000])
        self.assertEqual(response["Content-Type"], "application/json")
        result = response.json()
        self.assertTrue(result["valid"], result)
        return result

    def counter(self, result, name):
        return next(counter for counter in result["search_preview"]["counters"] if counter["name"] == name)

    # --- condition pages ---------------------------------------------------------------------

    def test_a_page_not_created_yet_is_checked_as_typed(self):
        result = self.check(self.add_url(ConditionPage, self.index), condition_form())

        checks = result["content_checks"]
        self.assertEqual(checks["intro"], "Content checks for what you have typed:")
        self.assertEqual(checks["problems"], [MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK, MISSING_CALL_TO_ACTION])
        self.assertIsNone(checks["doorway"])

        preview = result["search_preview"]
        title_tag = "Frozen Shoulder Treatment in Charleston, SC"  # the brand would take it past 60
        self.assertEqual(preview["title_tag"], title_tag)
        self.assertEqual(preview["url"], "http://testserver/conditions/frozen-shoulder/")
        self.assertEqual(preview["description"], "A stiff, painful shoulder.")
        title = self.counter(result, "title")
        self.assertEqual((title["length"], title["budget"], title["over_by"]), (len(title_tag), 60, 0))
        self.assertEqual(title["text"], f"{len(title_tag)} / 60 characters")
        description = self.counter(result, "description")
        self.assertEqual((description["length"], description["over_by"]), (26, 0))
        self.assertEqual(description["note"], "From the summary.")

        # Checking is not creating.
        self.assertFalse(ConditionPage.objects.filter(slug="frozen-shoulder").exists())

    def test_the_checks_follow_the_blocks_typed(self):
        url = self.add_url(ConditionPage, self.index)
        result = self.check(url, condition_form(body=[symptoms(), when_to_seek_care()]))
        self.assertEqual(result["content_checks"]["problems"], [MISSING_CALL_TO_ACTION])

    def test_an_empty_title_and_slug_show_where_they_will_go(self):
        result = self.check(self.add_url(ConditionPage, self.index), condition_form(title="", slug=""))
        preview = result["search_preview"]
        self.assertEqual(preview["title_tag"], "{title} Treatment in Charleston, SC | SC Sports Medicine")
        self.assertEqual(preview["url"], "http://testserver/conditions/")

    def test_a_saved_page_is_checked_as_typed_and_nothing_is_saved(self):
        revisions = Revision.objects.count()
        data = condition_form(
            title=self.seed.title, slug=self.seed.slug, summary=LONG_SUMMARY, body=[symptoms(), when_to_seek_care()]
        )
        result = self.check(self.edit_url(self.seed), data)

        # The seed page lacks symptoms and a when-to-seek-care card; the typed version has them.
        self.assertEqual(self.seed.content_problems(), [MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK])
        self.assertEqual(result["content_checks"]["problems"], [MISSING_CALL_TO_ACTION])

        preview = result["search_preview"]
        description = preview["description"]
        self.assertLessEqual(len(description), META_DESCRIPTION_BUDGET)
        self.assertTrue(LONG_SUMMARY.startswith(description.removesuffix("…")))
        counter = self.counter(result, "description")
        self.assertEqual(counter["length"], len(description))
        self.assertEqual(counter["note"], f"From the summary, shortened to {len(description)} characters.")
        self.assertEqual(preview["fallback_description"], description)

        self.seed.refresh_from_db()
        self.assertNotEqual(self.seed.summary, LONG_SUMMARY)
        self.assertEqual(Revision.objects.count(), revisions)

    def test_the_editors_own_meta_description_is_counted_as_written(self):
        own = "Frozen shoulder: " + "stiff and sore " * 12
        result = self.check(self.edit_url(self.seed), condition_form(search_description=own))
        counter = self.counter(result, "description")
        self.assertEqual(result["search_preview"]["description"], own.strip())
        self.assertEqual(counter["length"], len(own.strip()))
        self.assertGreater(counter["over_by"], 0)
        self.assertEqual(counter["note"], "")

    def test_images_without_alt_text_are_reported_for_search_engines(self):
        image = factories.make_image()
        body = [("image", {"image": image.pk, "alt_text": "", "decorative": False, "caption": ""})]
        result = self.check(self.edit_url(self.seed), condition_form(body=body))
        self.assertEqual(result["search_preview"]["seo_problems"], ["1 image(s) without alt text"])

    def test_a_form_with_errors_says_what_to_correct(self):
        response = self.client.post(self.edit_url(self.seed), condition_form(summary="x" * 500), headers=SCRIPT_REQUEST)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"valid": False, "message": "The checks are not up to date: correct “Summary” first."},
        )

    # --- local condition pages ---------------------------------------------------------------

    def test_a_thin_local_page_gets_its_doorway_numbers(self):
        text = "Back spasms treated at our Mount Pleasant clinic."
        result = self.check(self.add_url(LocalConditionPage, self.seed), local_form(text, clinic=self.clinic))
        doorway = result["content_checks"]["doorway"]

        typed = LocalConditionPage(
            title="Back Spasm Care in Mount Pleasant",
            summary="Care for back spasms at our Mount Pleasant clinic.",
            body=[("text_section", {"heading": "In town", "text": RichText(f"<p>{text}</p>")})],
        )
        own_words = set(page_words(typed)) - set(page_words(self.seed))
        self.assertEqual(doorway["unique_words"], len(own_words))
        self.assertLess(doorway["unique_words"], 80)
        self.assertEqual((doorway["min_unique_words"], doorway["max_similarity"]), (80, 0.35))
        self.assertFalse(doorway["passes"])
        self.assertEqual(doorway["most_similar_to"], "Sciatica / Back Spasms")
        percent = f"{doorway['similarity']:.0%}"
        self.assertEqual(doorway["summary"], f"{len(own_words)} of 80 words of its own, {percent} shared phrases")
        self.assertEqual(len(result["content_checks"]["problems"]), 1)
        self.assertIn(f"It has {len(own_words)} words of its own", result["content_checks"]["problems"][0])

    def test_the_doorway_numbers_do_not_wait_for_a_clinic_to_be_chosen(self):
        result = self.check(self.add_url(LocalConditionPage, self.seed), local_form(LOCAL_STORY, clinic=None))
        self.assertTrue(result["content_checks"]["doorway"]["passes"])

    def test_a_copy_of_the_parent_is_caught_as_typed(self):
        copied = BeautifulSoup(" ".join(block.render_as_block() for block in self.seed.body), "html.parser").get_text(
            " "
        )
        result = self.check(self.add_url(LocalConditionPage, self.seed), local_form(copied, clinic=self.clinic))
        doorway = result["content_checks"]["doorway"]
        self.assertGreater(doorway["similarity"], 0.35)
        self.assertFalse(doorway["passes"])
        self.assertTrue(any("the same as “Sciatica / Back Spasms”" in p for p in result["content_checks"]["problems"]))

    def test_a_saved_local_page_passes_once_its_own_story_is_typed(self):
        page = self.seed.add_child(
            instance=LocalConditionPage(
                title="Back Spasm Care in Mount Pleasant",
                slug="back-spasm-care",
                location=self.clinic,
                summary="Thin.",
                body=[],
                live=False,
            )
        )
        page.save_revision()
        self.assertFalse(page.guard_result().passes)

        result = self.check(self.edit_url(page), local_form(LOCAL_STORY, clinic=self.clinic))
        doorway = result["content_checks"]["doorway"]
        self.assertGreaterEqual(doorway["unique_words"], 80)
        self.assertLessEqual(doorway["similarity"], 0.35)
        self.assertTrue(doorway["passes"])
        self.assertEqual(result["content_checks"]["problems"], [])
        self.assertEqual(result["search_preview"]["seo_problems"], [])

        page.refresh_from_db()
        self.assertEqual(page.summary, "Thin.")

    # --- who may ask -------------------------------------------------------------------------

    def test_signed_out_visitors_are_turned_away(self):
        self.client.logout()
        for url in [self.edit_url(self.seed), self.add_url(ConditionPage, self.index)]:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, condition_form(), headers=SCRIPT_REQUEST).status_code, 403)
                response = self.client.post(url, condition_form())
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_users_who_may_not_edit_the_page_are_turned_away(self):
        self.client.force_login(self.onlooker)
        for url in [self.edit_url(self.seed), self.add_url(ConditionPage, self.index)]:
            with self.subTest(url=url):
                response = self.client.post(url, condition_form(), headers=SCRIPT_REQUEST)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn(b"Frozen Shoulder", response.content)
                response = self.client.post(url, condition_form())
                self.assertRedirects(response, reverse("wagtailadmin_home"))

    def test_page_types_without_the_sites_checks_are_not_found(self):
        url = reverse("live_checks_on_add", args=["wagtailcore", "page", self.index.pk])
        self.assertEqual(self.client.post(url, {"title": "Plain"}, headers=SCRIPT_REQUEST).status_code, 404)

    def test_only_posts_are_answered(self):
        self.assertEqual(self.client.get(self.edit_url(self.seed)).status_code, 405)


class EditorPanelsTests(PageEditorTestData, TestCase):
    """What the editor shows before any typing, and without JavaScript: the page as saved."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The seed page as it was before it had symptoms and a when-to-seek-care card.
        cls.seed = factories.strip_blocks(cls.seed, "symptoms", "when_to_seek_care")

    def edit(self, page):
        return BeautifulSoup(self.open_editor(page).content, "html.parser")

    def test_the_panels_show_the_saved_page_and_where_the_script_posts(self):
        html = self.edit(self.seed)
        checks = html.find(attrs={"data-live-checks": "content-checks"})
        self.assertEqual(checks["data-live-checks-url"], f"/admin/live-checks/pages/{self.seed.pk}/")
        self.assertEqual(
            checks.find(attrs={"data-content-checks-intro": True}).get_text(),
            "Content checks for the saved version of this page:",
        )
        self.assertEqual(
            [item.get_text() for item in checks.find(attrs={"data-content-checks-problems": True}).find_all("li")],
            [MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK],
        )
        self.assertIsNotNone(checks.find(attrs={"role": "status"}))

        preview = html.find(attrs={"data-live-checks": "search-preview"})
        self.assertEqual(preview["data-live-checks-url"], f"/admin/live-checks/pages/{self.seed.pk}/")
        description = self.seed.get_meta_description()
        self.assertEqual(
            preview.find(attrs={"data-seo-counter": "description"})
            .find(attrs={"data-seo-counter-note": True})
            .get_text(),
            f"From the summary, shortened to {len(description)} characters.",
        )
        self.assertIsNotNone(html.find("script", src="/static/seo/admin/live-checks.js"))

    def test_a_new_page_is_checked_from_the_start(self):
        index = factories.condition_index()
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", index.pk]))
        checks = BeautifulSoup(response.content, "html.parser").find(attrs={"data-live-checks": "content-checks"})
        self.assertEqual(
            checks["data-live-checks-url"], f"/admin/live-checks/pages/add/conditions/conditionpage/{index.pk}/"
        )
        self.assertEqual(
            checks.find(attrs={"data-content-checks-intro": True}).get_text(), "Content checks for this new page:"
        )

    def test_the_public_page_loads_no_editor_script(self):
        self.client.logout()
        self.assertNotContains(self.client.get(self.seed.url), "live-checks")


class MetaDescriptionFromSummaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.page = factories.make_condition(title="Frozen Shoulder", slug="frozen-shoulder", summary=LONG_SUMMARY)

    def head(self):
        html = BeautifulSoup(self.client.get(self.page.url).content, "html.parser")
        return {
            "description": html.find("meta", attrs={"name": "description"})["content"],
            "og:description": html.find("meta", attrs={"property": "og:description"})["content"],
            "twitter:description": html.find("meta", attrs={"name": "twitter:description"})["content"],
            "summary on the page": html.find(string=re.compile("^Frozen shoulder stiffens")).strip(),
        }

    def test_a_300_character_summary_gives_a_description_cut_at_a_word_boundary(self):
        self.assertEqual(len(LONG_SUMMARY), 300)
        head = self.head()
        description = head["description"]
        self.assertLessEqual(len(description), META_DESCRIPTION_BUDGET)
        self.assertTrue(description.endswith("…"), description)
        kept = description.removesuffix("…")
        self.assertTrue(LONG_SUMMARY.startswith(kept))
        # The cut falls between words: neither the last word kept nor the next one is split.
        self.assertRegex(LONG_SUMMARY[len(kept) :], r"^[\s,.;:]")
        self.assertEqual(head["og:description"], description)
        self.assertEqual(head["twitter:description"], description)
        self.assertEqual(head["summary on the page"], LONG_SUMMARY)

    def test_a_summary_within_budget_is_the_description_whole(self):
        self.page.summary = "Frozen shoulder stiffens the shoulder joint."
        self.page.save_revision().publish()
        self.assertEqual(self.head()["description"], "Frozen shoulder stiffens the shoulder joint.")

    def test_the_editors_own_description_is_left_as_written(self):
        own = "Frozen shoulder, " + "stiff and sore, " * 11 + "treated in Charleston."
        self.assertGreater(len(own), META_DESCRIPTION_BUDGET)
        self.page.search_description = own
        self.page.save_revision().publish()
        self.assertEqual(self.head()["og:description"], own)

    def test_a_description_template_keeps_its_own_words_and_shortens_the_summary(self):
        TitleTemplate.objects.create(
            settings=PracticeSettings.load(),
            page_type="conditions.conditionpage",
            title_template="{title} | {practice}",
            description_template="{summary} Call us in {city}.",
        )
        description = self.head()["description"]
        self.assertLessEqual(len(description), META_DESCRIPTION_BUDGET)
        kept, _, rest = description.partition("… ")
        self.assertEqual(rest, "Call us in Charleston.")
        self.assertTrue(LONG_SUMMARY.startswith(kept))
        self.assertRegex(LONG_SUMMARY[len(kept) :], r"^[\s,.;:]")
