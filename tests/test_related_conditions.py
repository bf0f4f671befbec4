"""Related conditions on a condition page: the editors' choices first, then a shared body area."""

from bs4 import BeautifulSoup
from django.test import TestCase

from conditions.models import ConditionPage
from tests import factories
from treatments.models import TreatmentPage


def related_titles(client, page):
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    section = html.find("section", class_="related-conditions")
    return [a.get_text() for a in section.select("h3 a")] if section else []


class RelatedConditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.knee = factories.make_condition(title="Knee Pain", slug="knee-pain", body_areas=["knee"])
        cls.meniscus = factories.make_condition(title="Meniscus Tear", slug="meniscus", body_areas=["knee", "sports"])
        cls.acl = factories.make_condition(title="ACL Injury", slug="acl", body_areas=["sports"])
        cls.neck = factories.make_condition(title="Neck Pain", slug="neck-pain", body_areas=["neck"])
        cls.elbow = factories.make_condition(title="Tennis Elbow", slug="tennis-elbow", body_areas=["elbow"])

    def test_conditions_in_the_same_body_area_are_related(self):
        self.assertEqual(related_titles(self.client, self.knee), ["Meniscus Tear"])
        self.assertEqual(related_titles(self.client, self.meniscus), ["ACL Injury", "Knee Pain"])
        # “knee” never matches inside another key, and a page without neighbours shows no section.
        self.assertEqual(related_titles(self.client, self.neck), [])

    def test_the_editors_choices_come_first(self):
        page = ConditionPage.objects.get(pk=self.knee.pk)
        page.related_conditions_chosen = [self.neck, self.elbow]
        page.save_revision().publish()
        self.assertEqual(related_titles(self.client, page), ["Neck Pain", "Tennis Elbow", "Meniscus Tear"])
        # The chosen pages' own lists are not changed: the choice is one way.
        self.assertEqual(related_titles(self.client, self.neck), [])

    def test_drafts_and_unpublished_pages_are_not_listed(self):
        ConditionPage.objects.get(pk=self.meniscus.pk).unpublish()
        factories.make_condition(title="Kneecap Pain", slug="kneecap", body_areas=["knee"], publish=False)
        self.assertEqual(related_titles(self.client, self.knee), [])

    def test_a_new_neighbour_shows_on_the_next_request(self):
        self.assertEqual(related_titles(self.client, self.neck), [])
        factories.make_condition(title="Whiplash", slug="whiplash", body_areas=["neck"])
        self.assertEqual(related_titles(self.client, self.neck), ["Whiplash"])

    def test_also_known_as_leaves_out_the_names_in_the_title(self):
        page = factories.make_condition(
            title="Bursitis / Tendinitis", slug="bursitis", other_names="tendinitis, Tennis hip"
        )
        self.assertEqual(page.other_names_list, ["Tennis hip"])


class RelatedByTreatmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.therapy = TreatmentPage.objects.get(slug="physical-therapy")

    def treated_with(self, title, slug, treatment_page, **fields):
        option = {"name": "Therapy", "kind": "physical_therapy", "explanation": "", "treatment_page": treatment_page}
        body = [("treatment", {"heading": "Treatment", "intro": "", "options": [option]})]
        return factories.make_condition(title=title, slug=slug, body=body, **fields)

    def test_conditions_linking_to_the_same_treatment_page_are_related(self):
        frozen = self.treated_with("Frozen Shoulder", "frozen-shoulder", self.therapy)
        self.treated_with("Tennis Elbow", "tennis-elbow", self.therapy)
        self.treated_with("Heel Pain", "heel-pain", TreatmentPage.objects.get(slug="microdiscectomy"))
        titles = related_titles(self.client, frozen)
        # The demo's sciatica page links to physical therapy too.
        self.assertEqual(titles, ["Sciatica / Back Spasms", "Tennis Elbow"])

    def test_a_page_moved_to_another_body_area_leaves_its_old_neighbours_lists(self):
        knee = factories.make_condition(title="Knee Pain", slug="knee-pain", body_areas=["knee"])
        meniscus = factories.make_condition(title="Meniscus Tear", slug="meniscus", body_areas=["knee"])
        self.assertEqual(related_titles(self.client, knee), ["Meniscus Tear"])
        with self.captureOnCommitCallbacks(execute=True):
            factories.publish_change(meniscus, body_areas=["hip"])
        self.assertEqual(related_titles(self.client, knee), [])
