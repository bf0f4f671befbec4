import datetime
import html
import re
import unicodedata

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend
from wagtail.test.utils import WagtailTestUtils

from search.models import QueryDailyMisses
from search.query import MAX_QUERY_LENGTH, STOP_WORDS, clean_query
from tests import factories

SEED_TITLE = "Sciatica / Back Spasms"

# Input that trips full-text query languages: FTS5 and tsquery syntax, NUL bytes, odd Unicode.
NASTY_QUERIES = [
    '"',
    'a"b',
    '"unbalanced',
    "'",
    "sciatica'",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(back spasms)",
    "back AND OR NOT spasms",
    "*",
    "spasm*",
    "-",
    "-sciatica",
    "back -spasms",
    "(",
    "((back)",
    ")",
    "title:sciatica",
    "{title body}: sciatica",
    "^sciatica",
    "sciatica + back",
    "back & | ! spasms",
    "'back':* & spasms",
    "\\",
    "%",
    "%s %(x)s",
    "\x00",
    "back\x00spasms",
    "\u0301",
    "\ufffd",
    "\U0001f9b4 bone",
    "ｓｃｉａｔｉｃａ",
    "<script>alert(1)</script>",
    "sciatica " * 500,
    "x" * 5000,
]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def result_titles(response):
    return result_titles_of(soup(response))


def result_titles_of(page):
    return [heading.get_text(strip=True) for heading in page.select("ol.search-results h3")]


def main_text(response):
    return re.sub(r"\s+", " ", html.unescape(soup(response).find("main").get_text(" ")))


class SearchTestData:
    """The demo site plus condition pages that compete with the seed page for its words."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.herniated_disc = factories.make_condition(
            title="Herniated Disc",
            summary="A herniated disc can press on a nerve and cause sciatica, back pain and leg pain.",
            body=[
                (
                    "text_section",
                    {
                        "heading": "Sciatica from a herniated disc",
                        "text": RichText(
                            "<p>Sciatica is the most common sign. Sciatica from a disc often eases in weeks.</p>"
                        ),
                    },
                )
            ],
        )
        cls.knee = factories.make_condition(
            title="Knee Osteoarthritis",
            summary="Wear of the knee's cartilage that makes the joint stiff and painful.",
            other_names="degenerative joint disease",
        )


class SearchResultsTests(SearchTestData, TestCase):
    def search(self, query, **params):
        return self.client.get("/search/", {"query": query, **params})

    def test_seed_page_is_the_first_result_for_what_patients_type(self):
        for query in ["sciatica", "spasm", "potassium", "back spasms charleston", "Back Spasms, Charleston?"]:
            with self.subTest(query=query):
                response = self.search(query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(result_titles(response)[0], SEED_TITLE)

    def test_word_forms_match(self):
        self.assertIn(SEED_TITLE, result_titles(self.search("spasm")))
        self.assertIn("Knee Osteoarthritis", result_titles(self.search("knees stiffness")))
        # The start of a word is enough when the whole word matches nothing.
        self.assertEqual(result_titles(self.search("sciatic")), [SEED_TITLE])

    def test_a_title_outranks_the_same_word_in_body_text(self):
        factories.make_condition(title="Tendonitis", summary="Inflamed tendons.")
        factories.make_condition(
            title="Bursitis",
            summary="Bursitis is often mistaken for tendonitis: tendonitis and bursitis both hurt near a joint.",
        )
        self.assertEqual(result_titles(self.search("tendonitis")), ["Tendonitis", "Bursitis"])

    def test_every_part_of_a_condition_page_is_searchable(self):
        contact = Page.objects.get(slug="contact")
        factories.make_condition(
            title="Lumbar Radiculopathy",
            summary="Irritated spinal nerve roots.",
            other_names="pinched nerve",
            body=factories.every_block_body(contact, factories.make_image()),
        )
        words = {
            "summary": "irritated",
            "other names": "pinched",
            "symptom": "toes",
            "cause name": "stenosis",
            "cause explanation": "narrows",
            "complication": "weakness",
            "treatment name": "microdiscectomy",
            "treatment explanation": "inflammation",
            "when to seek care": "bladder",
            "FAQ answer": "weeks",
            "text section": "moving",
            "image alt text": "lumbar",
        }
        for part, word in words.items():
            with self.subTest(part=part, word=word):
                self.assertIn("Lumbar Radiculopathy", result_titles(self.search(word)))

    def test_a_clinic_is_found_by_the_towns_it_serves_and_its_zip_code(self):
        for query in ["Mount Pleasant", "james island clinic", "29401"]:
            with self.subTest(query=query):
                self.assertEqual(result_titles(self.search(query))[0], "Charleston Clinic")

    def test_each_result_shows_its_title_link_summary_and_type(self):
        results = soup(self.search("charleston")).select("ol.search-results > li")
        clinic = next(item for item in results if item.h3.get_text(strip=True) == "Charleston Clinic")
        self.assertEqual(clinic.h3.a["href"], "/locations/charleston/")
        self.assertEqual(clinic.select_one(".search-result__type").get_text(strip=True), "Location")
        self.assertIn("Charleston, SC 29401", clinic.get_text())

        seed = soup(self.search("potassium")).select_one("ol.search-results > li")
        self.assertEqual(seed.select_one(".search-result__type").get_text(strip=True), "Condition")
        self.assertIn(self.seed.summary[:60], seed.get_text(" ", strip=True))

    def test_drafts_and_private_pages_are_not_found(self):
        factories.make_condition(title="Plantar Fasciitis", summary="Heel pain.", publish=False)
        private = factories.make_condition(title="Frozen Shoulder", summary="A stiff, painful shoulder.")
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="staff")
        self.assertEqual(result_titles(self.search("heel")), [])
        self.assertEqual(result_titles(self.search("shoulder")), [])

    def test_results_render_in_the_site_layout_as_an_accessible_list(self):
        page = soup(self.search("sciatica"))
        self.assertIsNotNone(page.select_one("header.site-header"))
        self.assertIsNotNone(page.select_one("footer"))
        main = page.find("main")
        self.assertEqual(main.h1.get_text(strip=True), "Search results")
        field = main.select_one("form[role=search] input[name=query]")
        self.assertTrue(main.select_one(f"label[for={field['id']}]").get_text(strip=True))
        self.assertEqual(field["value"], "sciatica")
        self.assertEqual(main.select_one("ol.search-results")["start"], "1")

    def test_results_are_not_indexed_or_cached(self):
        response = self.search("sciatica")
        robots = soup(response).find("meta", attrs={"name": "robots"})["content"]
        self.assertIn("noindex", robots.replace(" ", "").split(","))
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        cache_control = response["Cache-Control"]
        self.assertIn("no-store", cache_control)
        self.assertIn("private", cache_control)

    def test_what_the_visitor_typed_is_shown_back_escaped(self):
        response = self.search('<script>alert("x")</script> knee')
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; knee")
        self.assertIn("Knee Osteoarthritis", result_titles(response))

    def test_a_search_that_matches_nothing_gets_a_friendly_page(self):
        response = self.search("zebra")
        self.assertEqual(response.status_code, 200)
        text = main_text(response)
        self.assertIn("No results for “zebra”", text)
        self.assertIn("(843) 555-0100", text)
        self.assertIsNone(soup(response).select_one("ol.search-results"))

    def test_pages_matching_only_some_words_are_offered_as_such(self):
        response = self.search("sciatica zebra")
        self.assertEqual(result_titles(response)[0], SEED_TITLE)
        self.assertIn("No page matches all of your words", main_text(response))

    def test_an_empty_search_shows_just_the_form(self):
        for params in [{}, {"query": ""}, {"query": "   "}]:
            with self.subTest(params=params):
                response = self.client.get("/search/", params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(soup(response).find("main").h1.get_text(strip=True), "Search")
                self.assertNotContains(response, "No results")
        self.assertFalse(Query.objects.exists())


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        for number in range(1, 24):
            factories.make_condition(title=f"Gonarthrosis Type {number:02}", summary="A kind of gonarthrosis.")

    def get(self, **params):
        return self.client.get("/search/", {"query": "gonarthrosis", **params})

    def test_ten_results_a_page(self):
        first, last = self.get(), self.get(page=3)
        self.assertEqual(len(result_titles(first)), 10)
        self.assertEqual(len(result_titles(last)), 3)
        self.assertEqual(soup(last).select_one("ol.search-results")["start"], "21")
        seen = result_titles(first) + result_titles(self.get(page=2)) + result_titles(last)
        self.assertEqual(len(set(seen)), 23)

    def test_pagination_is_a_labelled_nav_marking_the_current_page(self):
        nav = soup(self.get(page=2)).select_one("main nav")
        self.assertEqual(nav["aria-label"], "Search results pages")
        current = nav.select('[aria-current="page"]')
        self.assertEqual([link.get_text(" ", strip=True) for link in current], ["Page 2"])
        self.assertEqual(current[0]["href"], "?query=gonarthrosis&page=2")
        self.assertEqual(nav.select_one("a[rel=prev]")["href"], "?query=gonarthrosis&page=1")
        self.assertEqual(nav.select_one("a[rel=next]")["href"], "?query=gonarthrosis&page=3")

    def test_an_invalid_page_number_shows_the_first_or_last_page(self):
        for page, expected in [("abc", "1"), ("", "1"), ("1.5", "1"), ("\x00", "1"), ("99", "3"), ("10" * 30, "3")]:
            with self.subTest(page=page):
                response = self.get(page=page)
                self.assertEqual(response.status_code, 200)
                current = soup(response).select_one('main nav [aria-current="page"]')
                self.assertEqual(current.get_text(" ", strip=True), f"Page {expected}")

    def test_one_page_of_results_has_no_pagination(self):
        self.assertIsNone(soup(self.client.get("/search/", {"query": "sciatica"})).select_one("main nav"))


class NeverBreaksTests(SearchTestData, TestCase):
    def test_query_language_syntax_and_odd_input_get_a_results_page(self):
        for query in NASTY_QUERIES:
            with self.subTest(query=query[:40]):
                response = self.client.get("/search/", {"query": query})
                self.assertEqual(response.status_code, 200)
                self.assertIsNotNone(soup(response).select_one("main form[role=search]"))

    def test_syntax_characters_around_words_do_not_change_what_is_found(self):
        for query in ['"sciatica"', "sciatica*", "-sciatica", "(sciatica)", "sciatica AND", "NOT sciatica"]:
            with self.subTest(query=query):
                self.assertEqual(result_titles(self.client.get("/search/", {"query": query}))[0], SEED_TITLE)

    def test_a_very_long_query_is_cut_short(self):
        response = self.client.get("/search/", {"query": "sciatica " * 500})
        shown = soup(response).select_one("main input[name=query]")["value"]
        self.assertLessEqual(len(shown), MAX_QUERY_LENGTH)
        self.assertEqual(result_titles(response)[0], SEED_TITLE)

    def test_invalid_utf8_is_read_as_replacement_characters(self):
        response = self.client.get("/search/?query=sciatica%FF%FE%C3%28")
        self.assertEqual(response.status_code, 200)
        self.assertIn("sciatica\ufffd", soup(response).select_one("main input[name=query]")["value"])

    def test_repeated_parameters_use_the_last_value(self):
        response = self.client.get("/search/?query=zebra&query=potassium&page=x&page=1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(result_titles(response), [SEED_TITLE])

    def test_post_is_not_allowed(self):
        self.assertEqual(self.client.post("/search/", {"query": "sciatica"}).status_code, 405)


# Fragments of query syntax, mixed with arbitrary text, to steer generated input towards trouble.
SYNTAX = ['"', "'", "*", "-", "(", ")", ":", "^", "{", "}", "AND", "OR", "NOT", "NEAR", "\x00", "\\", "%", "sciatica"]
query_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=8)), max_size=20).map(" ".join),
)


class GeneratedQueriesTests(SearchTestData, HypothesisTestCase):
    """Arbitrary text against the view, on whichever database the suite runs on."""

    @settings(max_examples=60, deadline=None, database=None)
    @given(query=query_text, page=st.one_of(st.none(), st.text(max_size=10)))
    def test_any_query_gets_a_page_showing_it_back(self, query, page):
        params = {"query": query} if page is None else {"query": query, "page": page}
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        shown = soup(response).select_one("main input[name=query]")["value"]
        self.assertEqual(shown, clean_query(query).shown)

    @settings(max_examples=200, deadline=None, database=None)
    @given(query=query_text)
    def test_cleaned_terms_hold_only_letters_digits_and_marks(self, query):
        cleaned = clean_query(query)
        self.assertLessEqual(len(cleaned.shown), MAX_QUERY_LENGTH)
        self.assertNotIn("\x00", cleaned.shown)
        for word in cleaned.terms.split():
            self.assertNotIn(word, STOP_WORDS)
            self.assertTrue(all(unicodedata.category(char)[0] in "LNM" for char in word), word)


class SearchStatisticsTests(SearchTestData, TestCase):
    def test_every_search_is_counted_once(self):
        self.client.get("/search/", {"query": "Sciatica"})
        self.client.get("/search/", {"query": "sciatica!"})
        self.client.get("/search/", {"query": "sciatica", "page": "2"})  # the same search, paging on
        self.assertEqual(Query.get("sciatica").hits, 2)

    def test_searches_that_find_nothing_are_counted_as_misses(self):
        for query in ["zebra", "Zebra?", "sciatica zebra", "sciatica"]:
            self.client.get("/search/", {"query": query})
        misses = {row.query.query_string: row.misses for row in QueryDailyMisses.objects.select_related("query")}
        self.assertEqual(misses, {"zebra": 2, "sciatica zebra": 1})

    def test_a_promoted_page_comes_first_and_is_not_repeated(self):
        contact = Page.objects.get(slug="contact")
        query = Query.get("back pain appointment")
        SearchPromotion.objects.create(query=query, page=contact, description="Book a visit.", sort_order=0)
        factories.make_condition(
            title="Low Back Pain Appointment Guide", summary="What to bring to a back pain appointment."
        )

        page = soup(self.client.get("/search/", {"query": "Back pain appointment"}))
        promoted = page.select("ul.search-promotions > li")
        self.assertEqual([item.h3.get_text(strip=True) for item in promoted], [contact.title])
        self.assertEqual(promoted[0].h3.a["href"], "/contact/")
        self.assertIn("Book a visit.", promoted[0].get_text())
        self.assertEqual(
            [element["class"][0] for element in page.select("ul.search-promotions, ol.search-results")],
            ["search-promotions", "search-results"],
        )
        self.assertEqual(result_titles_of(page)[0], "Low Back Pain Appointment Guide")
        self.assertNotIn(contact.title, result_titles_of(page))
        self.assertFalse(QueryDailyMisses.objects.filter(query=query).exists())


class NoResultsReportTests(WagtailTestUtils, TestCase):
    url = "/admin/reports/search/no-results/"

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        today = timezone.localdate()
        for text, days_ago, misses in [
            ("acl tear", 1, 5),
            ("acl tear", 20, 2),
            ("tennis elbow", 0, 3),
            ("hip bursitis", 40, 9),  # outside the 30 days
        ]:
            query = Query.get(text)
            QueryDailyMisses.objects.create(query=query, date=today - datetime.timedelta(days=days_ago), misses=misses)
            query.add_hit(date=today - datetime.timedelta(days=days_ago))
        cls.editor = get_user_model().objects.create_user("editor", "editor@example.com", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def rows(self, response):
        return [
            [cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in soup(response).select("tbody tr")
        ]

    def test_lists_the_most_frequent_searches_with_no_results_in_the_last_30_days(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        rows = self.rows(response)
        self.assertEqual([row[:3] for row in rows], [["acl tear", "7", "2"], ["tennis elbow", "3", "1"]])

    def test_a_visitors_miss_shows_up_in_the_report(self):
        self.client.get("/search/", {"query": "Turf toe?"})
        self.client.force_login(self.editor)
        self.assertIn(["turf toe", "1", "1"], [row[:3] for row in self.rows(self.client.get(self.url))])

    def test_a_search_made_minutes_ago_is_reported_as_minutes_ago(self):
        self.client.get("/search/", {"query": "turf toe"})
        QueryDailyMisses.objects.filter(query__query_string="turf toe").update(
            last_missed_at=timezone.now() - datetime.timedelta(minutes=4)
        )
        self.client.force_login(self.editor)
        [row] = [row for row in self.rows(self.client.get(self.url)) if row[0] == "turf toe"]
        self.assertIn("4\xa0minutes ago", row[3])

    def test_report_is_in_the_reports_menu_for_page_editors(self):
        self.client.force_login(self.editor)
        response = self.client.get("/admin/")
        self.assertContains(response, "Searches with no results")
        self.assertContains(response, self.url)

    def test_people_who_cannot_edit_pages_cannot_see_it(self):
        # Into the admin, but with no page permissions.
        outsider = get_user_model().objects.create_user("outsider", "outsider@example.com", "pw")
        outsider.user_permissions.add(*Group.objects.get(name="Editors").permissions.all())
        self.client.force_login(outsider)
        self.assertNotContains(self.client.get("/admin/"), self.url)
        response = self.client.get(self.url)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)


class SearchBackendTests(TestCase):
    def test_the_database_full_text_backend_of_the_running_database_is_used(self):
        backend = get_search_backend()
        expected = {"sqlite": "SQLiteSearchBackend", "postgresql": "PostgresSearchBackend"}[connection.vendor]
        self.assertIn(expected, [cls.__name__ for cls in type(backend).__mro__])
