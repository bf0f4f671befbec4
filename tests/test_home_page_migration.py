"""The home page's rich text survives its move to blocks (home 0009), on SQLite and PostgreSQL alike."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone
from wagtail.models import Revision as CurrentRevision

from home.models import HomePage

BEFORE = [("home", "0008_brand_name")]
AFTER = [("home", "0009_home_page_blocks")]


class HomePageBodyMigrationTests(TransactionTestCase):
    serialized_rollback = True

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        # Leave the schema as the rest of the suite expects it (the rows made here are flushed after).
        self.migrate(executor_leaf_nodes())

    def test_rich_text_becomes_a_text_block_on_the_page_and_its_revisions(self):
        old = self.migrate(BEFORE)
        Page = old.get_model("wagtailcore", "Page")
        Locale = old.get_model("wagtailcore", "Locale")
        ContentType = old.get_model("contenttypes", "ContentType")
        Revision = old.get_model("wagtailcore", "Revision")
        OldHomePage = old.get_model("home", "HomePage")
        content_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
        root = Page.objects.get(depth=1)
        home = OldHomePage.objects.create(
            title="Home",
            slug="old-home",
            content_type=content_type,
            path=f"{root.path}9999",
            depth=2,
            url_path="/old-home/",
            locale=Locale.objects.first(),
            intro="",
            body="<h2>About us</h2><p>Bones, joints &amp; the spine.</p>",
        )
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(home.pk),
            content={"pk": home.pk, "title": "Home", "body": "<p>An older draft.</p>"},
            created_at=timezone.now(),
        )
        empty = OldHomePage.objects.create(
            title="Empty",
            slug="empty-home",
            content_type=content_type,
            path=f"{root.path}9998",
            depth=2,
            url_path="/empty-home/",
            locale=Locale.objects.first(),
            intro="",
            body="",
        )

        self.migrate(AFTER)

        migrated = HomePage.objects.get(pk=home.pk)
        self.assertEqual([block.block_type for block in migrated.body], ["text"])
        self.assertEqual(migrated.body[0].value.source, "<h2>About us</h2><p>Bones, joints &amp; the spine.</p>")
        self.assertEqual(len(HomePage.objects.get(pk=empty.pk).body), 0)
        draft = CurrentRevision.objects.get(pk=revision.pk).as_object()
        self.assertEqual(draft.body[0].value.source, "<p>An older draft.</p>")


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
