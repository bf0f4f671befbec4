"""The admin reports editors act on: links from each row, what an empty report says, and exports offered as
buttons with dated names."""

import datetime
from unittest import mock

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from conditions.models import ConditionIndexPage, ConditionPage
from search.models import QueryDailyMisses
from tests import factories

NO_RESULTS_URL = "/admin/reports/search/no-results/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class ReportTestData:
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.query = Query.get("acl tear")
        QueryDailyMisses.objects.create(query=cls.query, date=timezone.localdate(), misses=3)
        cls.query.add_hit()
        cls.editor = get_user_model().objects.create_user("editor", "editor@example.com", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")


class NoResultsReportLinksTests(ReportTestData, WagtailTestUtils, TestCase):
    def links(self, response, text):
        """The href of each link in the report's rows whose text starts with `text`."""
        return [
            link["href"]
            for link in soup(response).select("tbody tr td a")
            if link.get_text(" ", strip=True).startswith(text)
        ]

    def test_each_search_term_links_to_a_new_condition_page_and_to_its_promoted_results(self):
        self.client.force_login(self.admin)
        response = self.client.get(NO_RESULTS_URL)
        index = ConditionIndexPage.objects.get()
        self.assertEqual(
            self.links(response, "Create a page"), [f"/admin/pages/add/conditions/conditionpage/{index.pk}/"]
        )
        self.assertEqual(self.links(response, "Promote a result"), [f"/admin/searchpicks/{self.query.pk}/"])

    def test_the_links_name_the_search_term_for_screen_readers(self):
        self.client.force_login(self.admin)
        cell = soup(self.client.get(NO_RESULTS_URL)).select("tbody tr td")[-1]
        self.assertEqual(
            [link.get_text(" ", strip=True) for link in cell.select("a")],
            ["Create a page for “acl tear”", "Promote a result for “acl tear”"],
        )

    def test_editors_may_create_a_page_but_not_promote_results(self):
        # The Editors group has no permission on promoted search results: the link would lead nowhere.
        self.client.force_login(self.editor)
        response = self.client.get(NO_RESULTS_URL)
        self.assertEqual(len(self.links(response, "Create a page")), 1)
        self.assertEqual(self.links(response, "Promote a result"), [])
        [create_url] = self.links(response, "Create a page")
        self.assertEqual(self.client.get(create_url).status_code, 200)

    def test_create_a_page_is_not_offered_without_a_live_conditions_section(self):
        ConditionIndexPage.objects.get().unpublish()
        self.client.force_login(self.admin)
        self.assertEqual(self.links(self.client.get(NO_RESULTS_URL), "Create a page"), [])

    def test_promote_a_result_opens_with_the_search_terms_filled_in_and_saves_a_promotion(self):
        self.client.force_login(self.admin)
        [promote_url] = self.links(self.client.get(NO_RESULTS_URL), "Promote a result")
        form = soup(self.client.get(promote_url))
        self.assertEqual(form.select_one("input[name=query_string]")["value"], "acl tear")

        response = self.client.post(
            promote_url,
            nested_form_data(
                {
                    "query_string": "acl tear",
                    "editors_picks": inline_formset([{"page": self.seed.pk, "description": "", "sort_order": 0}]),
                }
            ),
        )

        self.assertRedirects(response, reverse("wagtailsearchpromotions:index"))
        self.assertEqual(
            list(SearchPromotion.objects.filter(query=self.query).values_list("page", flat=True)), [self.seed.pk]
        )


class ReportExportTests(ReportTestData, WagtailTestUtils, TestCase):
    REPORTS = [
        (NO_RESULTS_URL, "searches-with-no-results"),
        ("/admin/reports/due-for-review/", "due-for-medical-review"),
        ("/admin/reports/seo-audit/", "seo-audit"),
    ]

    def setUp(self):
        self.client.force_login(self.editor)

    def test_export_files_are_named_after_the_report_and_the_day(self):
        today = timezone.localdate().isoformat()
        for url, name in self.REPORTS:
            for export_format in ("csv", "xlsx"):
                with self.subTest(url=url, format=export_format):
                    response = self.client.get(url, {"export": export_format})
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(
                        response["Content-Disposition"], f'attachment; filename="{name}-{today}.{export_format}"'
                    )

    def test_the_date_in_the_name_is_the_practices_day_not_utcs(self):
        # 22:30 on 30 November in Charleston is already 1 December in UTC.
        evening = datetime.datetime(2026, 12, 1, 3, 30, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=evening):
            response = self.client.get(NO_RESULTS_URL, {"export": "csv"})
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="searches-with-no-results-2026-11-30.csv"'
        )

    def test_export_buttons_are_in_the_report_header_not_in_a_menu(self):
        for url, _ in self.REPORTS:
            with self.subTest(url=url):
                header = soup(self.client.get(url)).select_one("header")
                buttons = {link.get_text(strip=True): link for link in header.select("a.button")}
                self.assertEqual(buttons["Download CSV"]["href"], f"{url}?export=csv")
                self.assertEqual(buttons["Download XLSX"]["href"], f"{url}?export=xlsx")
                for link in (buttons["Download CSV"], buttons["Download XLSX"]):
                    self.assertIsNone(link.find_parent(attrs={"data-controller": "w-dropdown"}))

    def test_the_buttons_export_what_the_report_is_sorted_by(self):
        # Sorting reloads only the results, and with them the header buttons (in a <template> for the header).
        response = self.client.get(f"{NO_RESULTS_URL}results/", {"ordering": "query_string"})
        buttons = soup(response).select_one("template[data-w-teleport-target-value='#w-slim-header-buttons']")
        self.assertEqual(
            [link["href"] for link in buttons.find_all("a")],
            [
                f"{NO_RESULTS_URL}results/?ordering=query_string&export=csv",
                f"{NO_RESULTS_URL}results/?ordering=query_string&export=xlsx",
            ],
        )
        export = self.client.get(f"{NO_RESULTS_URL}results/?ordering=query_string&export=csv")
        self.assertEqual(export["Content-Type"], "text/csv")
        self.assertIn("acl tear", b"".join(export.streaming_content).decode())


class EmptyReportTests(ReportTestData, WagtailTestUtils, TestCase):
    def test_each_report_says_what_it_has_nothing_to_list_of(self):
        Page.objects.update(live=False)
        ConditionPage.objects.update(next_review_due=timezone.localdate() + datetime.timedelta(days=365))
        QueryDailyMisses.objects.all().delete()
        self.client.force_login(self.editor)
        for url, message in [
            ("/admin/reports/seo-audit/", "There are no live pages yet."),
            ("/admin/reports/due-for-review/", "No condition page is due for medical review in the next 30 days."),
            (NO_RESULTS_URL, "Every search in the last 30 days found at least one page."),
        ]:
            with self.subTest(url=url):
                listing = soup(self.client.get(url)).select_one("#listing-results")
                self.assertIsNone(listing.table)
                self.assertEqual(listing.get_text(" ", strip=True), message)
