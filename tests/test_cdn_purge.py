"""The CDN in front of the site: publishing a change asks it to drop the pages that show the change."""

from django.test import TestCase, override_settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from home.models import PracticeSettings
from tests import factories
from tests.factories import publish_change


class RecordingPurgeBackend(BaseBackend):
    """A CDN stand-in that records the URLs it is asked to purge."""

    purged = []

    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        self.purged.append(url)


@override_settings(
    WAGTAILFRONTENDCACHE={"cdn": {"BACKEND": "tests.test_cdn_purge.RecordingPurgeBackend"}},
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
)
class CdnPurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def setUp(self):
        RecordingPurgeBackend.purged.clear()

    def purged_paths(self):
        return {url.split("://", 1)[1].split("/", 1)[1] for url in RecordingPurgeBackend.purged}

    def test_publishing_a_condition_purges_it_the_condition_list_and_the_clinics_listing_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            publish_change(self.seed, summary="Updated summary.")
        self.assertEqual(
            self.purged_paths(),
            {
                "conditions/sciatica-back-spasms/",
                "conditions/",
                "locations/charleston/",
                # The clinicians who treat it list it; treatment pages list the conditions linking to them.
                "physicians/morgan-example/",
                "physicians/jordan-sample/",
                "treatments/physical-therapy/",
                "treatments/epidural-steroid-injection/",
                "treatments/microdiscectomy/",
                # The home page's sections show conditions (featured, and by body area).
                "",
            },
        )

    def test_the_purge_is_repeated_once_the_publish_is_committed(self):
        with self.captureOnCommitCallbacks() as after_commit:
            publish_change(self.seed, summary="Updated summary.")
        RecordingPurgeBackend.purged.clear()  # what was purged while the transaction was open
        for callback in after_commit:
            callback()
        self.assertEqual(
            self.purged_paths(),
            {
                "conditions/sciatica-back-spasms/",
                "conditions/",
                "locations/charleston/",
                # The clinicians who treat it list it; treatment pages list the conditions linking to them.
                "physicians/morgan-example/",
                "physicians/jordan-sample/",
                "treatments/physical-therapy/",
                "treatments/epidural-steroid-injection/",
                "treatments/microdiscectomy/",
                # The home page's sections show conditions (featured, and by body area).
                "",
            },
        )

    def test_changing_a_practice_setting_purges_every_live_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            practice = PracticeSettings.load()
            practice.main_phone = "843-555-0199"
            practice.save()
        paths = self.purged_paths()
        self.assertIn("", paths)
        self.assertIn("conditions/sciatica-back-spasms/", paths)
        self.assertIn("locations/charleston/", paths)
