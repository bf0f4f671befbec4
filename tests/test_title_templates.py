"""Title templates are plain text with plain variables: no format specs, conversions or stray braces.

Saving one through the admin refuses them with a message the editor can act on; one that reached
the database some other way (before the check existed, or by a queryset update) still lets every
page render, with a readable title of sane length.
"""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home.models import PracticeSettings, TitleTemplate
from seo.titles import MAX_RENDERED_LENGTH, META_DESCRIPTION_BUDGET, shorten
from tests import factories

PRACTICE = "South Carolina Sports Medicine & Orthopaedic Center"
BRAND = "SC Sports Medicine"
PLAIN_ONLY = "Only plain variables like {title} are allowed"
# The condition page as the demo site builds it is about 16 kB; a title blown up by a format spec
# made it megabytes.
PAGE_SIZE_LIMIT = 100_000


def head(response):
    html = BeautifulSoup(response.content, "html.parser")
    description = html.head.find("meta", attrs={"name": "description"})
    return html.title.get_text(), description["content"] if description else None


class SavingATitleTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.practice = PracticeSettings.load()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def post_settings(self, title_template):
        self.client.force_login(self.editor)
        data = nested_form_data(
            {
                "practice_name": PRACTICE,
                "brand_name": BRAND,
                "main_phone": "(843) 555-0100",
                "logo": "",
                "same_as": "",
                "robots_txt": "",
                "title_templates": inline_formset(
                    [
                        {
                            "page_type": "conditions.conditionpage",
                            "title_template": title_template,
                            "description_template": "",
                        }
                    ]
                ),
            }
        )
        return self.client.post(f"/admin/settings/home/practicesettings/{self.practice.pk}/", data)

    def test_admin_refuses_a_format_spec_and_visitors_keep_the_old_title(self):
        response = self.post_settings("{title:x>999999999} | {practice}")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Write {title} with nothing after the name inside the braces")
        self.assertContains(response, PLAIN_ONLY)
        self.assertFalse(TitleTemplate.objects.exists())
        self.client.logout()
        title, _ = head(self.client.get(self.seed.url))
        self.assertEqual(title, "Sciatica / Back Spasms Treatment in Charleston, SC")

    def test_admin_saves_a_plain_template(self):
        response = self.post_settings("{title} care in {city} | {practice}")

        self.assertEqual(response.status_code, 302)
        self.client.logout()
        title, _ = head(self.client.get(self.seed.url))
        # Over 60 characters with the practice name: the name is left off.
        self.assertEqual(title, "Sciatica / Back Spasms care in Charleston")

    def test_format_specs_and_conversions_are_refused_in_both_fields(self):
        templates = ["{title:>10}", "{title:x>999999999} | {practice}", "{title!r}", "{city!s:^9}", "{title:{city}}"]
        for template in templates:
            for field in ["title_template", "description_template"]:
                row = TitleTemplate(settings=self.practice, page_type="conditions.conditionpage")
                row.title_template = "{title}"
                setattr(row, field, template)
                with self.subTest(template=template, field=field), self.assertRaises(ValidationError) as raised:
                    row.full_clean()
                self.assertIn(PLAIN_ONLY, " ".join(raised.exception.message_dict[field]))

    def test_malformed_templates_and_unknown_names_are_still_refused(self):
        for template, message in [
            ("{title | {practice}", "The braces do not match"),
            ("{title}}", "The braces do not match"),
            ("{title!}", "The braces do not match"),
            ("{title} in {town}", "Unknown variable {town}. Use only: {title}, {condition}, {brand}, {practice}"),
            ("{title.__class__}", "Unknown variable {title.__class__}"),
            ("{title[0]}", "Unknown variable {title[0]}"),
            ("{} | {0}", "Unknown variables {}, {0}"),
        ]:
            row = TitleTemplate(settings=self.practice, page_type="conditions.conditionpage", title_template=template)
            with self.subTest(template=template), self.assertRaises(ValidationError) as raised:
                row.full_clean()
            self.assertIn(message, " ".join(raised.exception.message_dict["title_template"]))

    def test_plain_variables_and_doubled_braces_are_accepted(self):
        TitleTemplate(
            settings=self.practice,
            page_type="conditions.conditionpage",
            title_template="{title} Treatment in {city}, {state} | {practice} {{2026}}",
            description_template="{summary}",
        ).full_clean()


class TemplatesThatSkippedValidationTests(TestCase):
    """Rows written straight to the database, as an older release or a data migration might have."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.practice = PracticeSettings.load()

    def store(self, title_template="{title} | {brand}", description_template=""):
        row = TitleTemplate.objects.create(
            settings=self.practice, page_type="conditions.conditionpage", title_template="{title}"
        )
        # update() runs no validator; it sends no signal either, so nothing may be requested before.
        TitleTemplate.objects.filter(pk=row.pk).update(
            title_template=title_template, description_template=description_template
        )

    def visit(self):
        response = self.client.get(self.seed.url)
        self.assertEqual(response.status_code, 200)
        self.assertLess(len(response.content), PAGE_SIZE_LIMIT)
        return head(response)

    def test_a_huge_format_spec_is_ignored(self):
        self.store("{title:x>999999999} | {brand}")
        title, _ = self.visit()
        self.assertEqual(title, f"Sciatica / Back Spasms | {BRAND}")

    def test_a_padding_spec_does_not_pad_the_page(self):
        self.store("{title:x>2000000} | {brand:.3}")
        title, _ = self.visit()
        self.assertEqual(title, f"Sciatica / Back Spasms | {BRAND}")

    def test_a_conversion_is_ignored(self):
        self.store("{title!r} in {city!a:>40} | {brand}")
        title, _ = self.visit()
        self.assertEqual(title, f"Sciatica / Back Spasms in Charleston | {BRAND}")

    def test_a_format_spec_in_the_description_template_is_ignored(self):
        self.store(description_template="{summary:x>2000000}")
        _, description = self.visit()
        self.assertEqual(description, shorten(self.seed.summary, META_DESCRIPTION_BUDGET))

    def test_a_malformed_or_unknown_template_falls_back_to_title_and_practice(self):
        for template in ["{title | {brand}", "{title}} | {brand}", "{title.__class__}", "{0} | {brand}"]:
            with self.subTest(template=template):
                TitleTemplate.objects.all().delete()
                self.store(template)
                title, _ = self.visit()
                self.assertEqual(title, f"Sciatica / Back Spasms | {BRAND}")

    def test_a_malformed_description_template_falls_back_to_the_summary(self):
        self.store(description_template="{summary")
        _, description = self.visit()
        self.assertEqual(description, shorten(self.seed.summary, META_DESCRIPTION_BUDGET))

    def test_a_repeated_variable_is_cut_to_a_sane_length(self):
        self.store("{summary} " * 10)  # 100 characters: within the field, far beyond the cap once filled in
        title, _ = self.visit()
        self.assertLessEqual(len(title), MAX_RENDERED_LENGTH)
        self.assertGreater(len(title), MAX_RENDERED_LENGTH - 10)
        self.assertTrue(title.startswith(self.seed.summary[:100]))
        self.assertTrue(title.endswith("…"))
