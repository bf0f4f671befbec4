"""Security headers, production settings and the admin sign-in lockout."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from appointments.models import AppointmentPage
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
SEED_URL = "/conditions/sciatica-back-spasms/"


def production_environment(**overrides):
    """A realistic production environment: what a real deployment sets, nothing more."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="www.scsportsmed.example",
        CSRF_TRUSTED_ORIGINS="https://www.scsportsmed.example",
        WAGTAILADMIN_BASE_URL="https://www.scsportsmed.example",
        REDIS_URL="redis://127.0.0.1:6379/3",
        # A deployment before its first migrate: checks that read content find no tables.
        DATABASE_URL=f"sqlite:///{tempfile.gettempdir()}/deploy-check-{os.getpid()}.sqlite3",
    )
    environment.update(overrides)
    return environment


def run_manage(*args, **env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = set(words[1:])
    return parsed


def test_deploy_check_passes_without_a_single_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_asks_for_a_shared_cache_when_redis_is_not_configured():
    result = run_manage("check", "--deploy", REDIS_URL="")
    assert "ops.W001" in result.stdout + result.stderr


def test_deploy_check_reports_a_missing_or_plain_http_base_url():
    for value in ("", "http://www.scsportsmed.example", "127.0.0.1:8000"):
        result = run_manage("check", "--deploy", WAGTAILADMIN_BASE_URL=value)
        assert result.returncode != 0, value
        assert "ops.E002" in result.stdout + result.stderr, value


def test_web_requests_give_up_on_a_stuck_postgresql_statement():
    url = "postgres://postgres@127.0.0.1:5432/site"
    options = production_setting("settings.DATABASES['default'].get('OPTIONS')", DATABASE_URL=url)
    assert "statement_timeout" not in options  # management commands (migrations) have no limit
    # What the WSGI entry point (gunicorn) loads.
    code = "import settings.wsgi; from django.conf import settings; print(repr(settings.DATABASES['default']))"
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_environment(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c statement_timeout=10000'" in result.stdout
    assert "'CONN_HEALTH_CHECKS': True" in result.stdout


def production_setting(expression, **env):
    code = f"from django.conf import settings; print(repr({expression}))"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_media_go_to_s3_when_a_bucket_is_configured():
    bucket = {"AWS_STORAGE_BUCKET_NAME": "scsm-media", "AWS_S3_CUSTOM_DOMAIN": "media.scsportsmed.example"}
    storage = production_setting("settings.STORAGES['default']['BACKEND']", **bucket)
    assert storage == "'storages.backends.s3.S3Storage'"
    # Images come from the media domain; the policy must let the browser load them.
    img_src = production_setting("settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']", **bucket)
    assert "'https://media.scsportsmed.example'" in img_src


def test_media_stay_on_local_disk_without_a_bucket():
    storage = production_setting("settings.STORAGES['default']['BACKEND']", AWS_STORAGE_BUCKET_NAME="")
    assert storage == "'django.core.files.storage.FileSystemStorage'"


def test_cdn_purging_is_configured_from_the_environment():
    backends = production_setting(
        "sorted((name, conf['BACKEND']) for name, conf in settings.WAGTAILFRONTENDCACHE.items())",
        CLOUDFLARE_ZONEID="zone123",
        CLOUDFLARE_BEARER_TOKEN="token",
        CLOUDFRONT_DISTRIBUTION_ID="E123",
    )
    assert "wagtail.contrib.frontend_cache.backends.CloudflareBackend" in backends
    assert "wagtail.contrib.frontend_cache.backends.CloudfrontBackend" in backends
    assert production_setting("settings.WAGTAILFRONTENDCACHE") == "{}"


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_REFERRER_POLICY="strict-origin-when-cross-origin",
)
class SecurityHeaderTests(TestCase):
    """Headers as the production settings send them, behind a TLS-terminating load balancer."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def get(self, path, **extra):
        return self.client.get(path, HTTP_X_FORWARDED_PROTO="https", **extra)

    def test_public_pages_carry_every_security_header(self):
        for path in ("/", SEED_URL, "/locations/charleston/", "/search/?query=back"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
                self.assertEqual(response["Permissions-Policy"], "camera=(), microphone=(), geolocation=()")
                self.assertEqual(response["X-Frame-Options"], "DENY")
                policy = directives(response["Content-Security-Policy"])
                self.assertEqual(policy["script-src"], {"'self'"})
                self.assertNotIn("'unsafe-inline'", policy["style-src"])
                self.assertEqual(policy["frame-ancestors"], {"'none'"})
                self.assertEqual(policy["object-src"], {"'none'"})

    def test_served_from_the_page_cache_the_headers_are_the_same(self):
        first = self.get(SEED_URL)
        hit = self.get(SEED_URL)
        self.assertEqual(hit["X-Page-Cache"], "hit")
        self.assertEqual(hit["Strict-Transport-Security"], first["Strict-Transport-Security"])
        self.assertEqual(hit["Content-Security-Policy"], first["Content-Security-Policy"])

    def test_plain_http_is_redirected_to_https(self):
        response = self.client.get(SEED_URL, HTTP_X_FORWARDED_PROTO="http")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"https://testserver{SEED_URL}")

    def test_the_admin_has_its_own_policy_and_its_preview_can_be_framed_by_the_admin(self):
        editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
        self.client.force_login(editor)
        seed_id = self.get(SEED_URL).context["page"].pk

        dashboard = self.get("/admin/")
        self.assertEqual(dashboard.status_code, 200)
        admin_policy = directives(dashboard["Content-Security-Policy"])
        self.assertEqual(admin_policy["frame-ancestors"], {"'self'"})
        self.assertIn("'unsafe-inline'", admin_policy["script-src"])

        preview = self.get(f"/admin/pages/{seed_id}/edit/preview/?mode=")
        self.assertEqual(preview["X-Frame-Options"], "SAMEORIGIN")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
class AdminLoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_user_model().objects.create_superuser("editor", "editor@example.com", "correct-horse")

    def sign_in(self, password):
        return self.client.post("/admin/login/", {"username": "editor", "password": password})

    def test_repeated_wrong_passwords_pause_sign_in_with_a_clear_message(self):
        for _ in range(2):
            response = self.sign_in("wrong")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Your username and password didn")

        locked = self.sign_in("wrong")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Sign-in paused", status_code=429)
        self.assertContains(locked, "signing in is paused for 15 minutes", status_code=429)
        self.assertEqual(locked["Retry-After"], "900")

        # Even the right password is refused while the pause lasts.
        self.assertEqual(self.sign_in("correct-horse").status_code, 429)

    def test_a_correct_password_signs_in_before_the_limit(self):
        self.sign_in("wrong")
        response = self.sign_in("correct-horse")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_load_balancer_the_pause_applies_to_the_visitor_not_the_balancer(self):
        for _ in range(3):
            self.client.post(
                "/admin/login/",
                {"username": "editor", "password": "wrong"},
                HTTP_X_FORWARDED_FOR="198.51.100.7",
            )
        other_visitor = self.client.post(
            "/admin/login/",
            {"username": "editor", "password": "correct-horse"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        self.assertEqual(other_visitor.status_code, 302)


class PreviewFramingTests(TestCase):
    """The editor's preview panel frames Wagtail's preview URLs: the admin may frame them, nobody else.

    Wagtail renders a preview by passing a made-up request for the page's public URL through every
    middleware, so the preview's headers are decided as for a public page unless it is told apart.
    """

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.appointment_page = AppointmentPage.objects.get()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.editor)

    def preview(self, url, data, **query):
        """As the preview panel's script does: post the editor's unsaved form, then load the preview."""
        posted = self.client.post(url, data)
        self.assertEqual(posted.json(), {"is_valid": True, "is_available": True})
        return self.client.get(url, {"in_preview_panel": "true", **query})

    def assert_framed_by_the_admin_only(self, response, shows):
        self.assertContains(response, shows, html=True)
        self.assertNotContains(response, "Preview not available")
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        policy = directives(response["Content-Security-Policy"])
        self.assertEqual(policy["frame-ancestors"], {"'self'"})
        # Otherwise the public policy: the preview loads what the published page would, no more.
        self.assertEqual(policy["script-src"], {"'self'"})
        self.assertEqual(policy["style-src"], {"'self'"})

    def condition_form(self, summary):
        seed = self.seed
        return nested_form_data(
            {"title": seed.title, "slug": seed.slug, "summary": summary, "other_names": "", "body": streamfield([])}
        )

    def test_the_edit_preview_of_a_condition_page_can_be_framed_by_the_admin(self):
        url = f"/admin/pages/{self.seed.pk}/edit/preview/"
        response = self.preview(url, self.condition_form("A summary not saved yet."))
        self.assert_framed_by_the_admin_only(response, "<h1>Sciatica / Back Spasms</h1>")
        self.assertContains(response, "A summary not saved yet.")
        # The same URL opened in a new tab, as the panel's "Preview in new tab" link does.
        new_tab = self.client.get(url, {"mode": ""})
        self.assert_framed_by_the_admin_only(new_tab, "<h1>Sciatica / Back Spasms</h1>")

    def test_the_preview_of_a_page_not_yet_created_can_be_framed_by_the_admin(self):
        url = f"/admin/pages/add/home/standardpage/{factories.home_page().pk}/preview/"
        data = nested_form_data(
            {"title": "Our Team", "slug": "", "summary": "Who treats you.", "body": rich_text("<p>Hello.</p>")}
        )
        self.assert_framed_by_the_admin_only(self.preview(url, data), "<h1>Our Team</h1>")

    def test_each_preview_mode_of_the_appointment_page_can_be_framed_by_the_admin(self):
        page = self.appointment_page
        questions = factories.form_question_rows(page)
        data = nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "intro": page.intro,
                "form_fields": inline_formset(questions, initial=len(questions)),
                "thank_you_text": rich_text(page.thank_you_text),
                "to_address": page.to_address,
            }
        )
        url = f"/admin/pages/{page.pk}/edit/preview/"
        for mode, shows in (
            ("form", '<label for="id_name">Name</label>'),
            ("landing", "<h1>Thank you: your request has been sent</h1>"),
        ):
            with self.subTest(mode=mode):
                self.assert_framed_by_the_admin_only(self.preview(url, data, mode=mode), shows)

    def test_the_published_page_stays_unframeable_after_a_preview(self):
        self.preview(f"/admin/pages/{self.seed.pk}/edit/preview/", self.condition_form(self.seed.summary))
        self.client.logout()
        # Rendered, then from the page cache: a preview never stands in for the public page.
        for expected_cache in ("miss", "hit"):
            with self.subTest(page_cache=expected_cache):
                response = self.client.get(self.seed.url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["X-Page-Cache"], expected_cache)
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(directives(response["Content-Security-Policy"])["frame-ancestors"], {"'none'"})
