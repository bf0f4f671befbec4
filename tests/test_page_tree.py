from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from appointments.models import AppointmentPage
from conditions.models import ConditionIndexPage, ConditionPage, LocalConditionPage
from conditions.service_areas import ServiceAreaPage
from home.models import HomePage, StandardPage
from locations.models import LocationIndexPage, LocationPage
from physicians.models import PhysicianIndexPage
from treatments.models import TreatmentIndexPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_condition_pages_live_only_under_the_condition_index(self):
        self.assertAllowedParentPageTypes(ConditionPage, {ConditionIndexPage})
        self.assertCanCreateAt(ConditionIndexPage, ConditionPage)
        self.assertCanNotCreateAt(HomePage, ConditionPage)
        self.assertCanNotCreateAt(StandardPage, ConditionPage)
        self.assertAllowedSubpageTypes(ConditionPage, {LocalConditionPage, ServiceAreaPage})
        for guarded in (LocalConditionPage, ServiceAreaPage):
            self.assertAllowedParentPageTypes(guarded, {ConditionPage})
            self.assertCanNotCreateAt(ConditionIndexPage, guarded)

    def test_condition_index_lives_under_home(self):
        self.assertAllowedParentPageTypes(ConditionIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ConditionIndexPage, {ConditionPage})

    def test_locations_tree(self):
        self.assertCanCreateAt(HomePage, LocationIndexPage)
        self.assertCanCreateAt(LocationIndexPage, LocationPage)
        self.assertCanNotCreateAt(HomePage, LocationPage)
        self.assertCanNotCreateAt(ConditionIndexPage, LocationPage)

    def test_home_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                ConditionIndexPage,
                LocationIndexPage,
                PhysicianIndexPage,
                TreatmentIndexPage,
                StandardPage,
                AppointmentPage,
            },
        )
        self.assertCanNotCreateAt(ConditionIndexPage, StandardPage)
