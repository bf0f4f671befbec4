"""The page editor as a logged-in administrator opens it, for tests of what its panels show."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories


class PageEditorTestData:
    """For a TestCase: the demo site (`seed` is its condition page) and `admin`, logged in for each test."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def open_editor(self, page):
        """The page's edit view as the administrator gets it."""
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        self.assertEqual(response.status_code, 200)
        return response
