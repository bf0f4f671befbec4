"""Spanish search, the Spanish appointment form, medical review of a Spanish page and the page cache
with two languages."""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from appointments.models import AppointmentPage, AppointmentRequest
from conditions.models import ConditionPage
from conditions.review import ReviewerProfile
from search.views import find_pages, live_pages
from tests import factories
from tests.patient import ACKNOWLEDGEMENT, answers

SEED_ES = "/es/condiciones/ciatica-espasmos-de-espalda/"
SEED_EN = "/conditions/sciatica-back-spasms/"


def result_links(response):
    return [a["href"] for a in BeautifulSoup(response.content, "html.parser").select(".search-results h3 a")]


def spanish_answers(**overrides):
    """The Spanish form filled in: the same names (the English questions'), Spanish choices."""
    spanish = {
        "preferred_clinic": "Clínica de Charleston",
        "preferred_time_of_day": "Mañana",
        "reason_for_your_visit": "Lesión deportiva",
    }
    return answers(**{**spanish, **overrides})


class SpanishSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_spanish_search_finds_spanish_pages_with_or_without_accents(self):
        for query in ("ciática", "ciatica", "CIÁTICA", "espasmo espalda", "síntomas"):
            with self.subTest(query):
                response = self.client.get("/es/buscar/", {"query": query})
                self.assertEqual(response.status_code, 200)
                self.assertIn(SEED_ES, result_links(response))
                self.assertTrue(all(link.startswith("/es/") for link in result_links(response)))

    def test_spanish_stop_words_do_not_stop_a_match(self):
        response = self.client.get("/es/buscar/", {"query": "espasmos de la espalda"})
        self.assertIn(SEED_ES, result_links(response))

    def test_english_search_never_returns_spanish_pages(self):
        for query in ("ciatica", "sciatica", "espalda", "clinic"):
            with self.subTest(query):
                links = result_links(self.client.get("/search/", {"query": query}))
                self.assertFalse([link for link in links if link.startswith("/es/")], links)
        self.assertIn(SEED_EN, result_links(self.client.get("/search/", {"query": "sciatica"})))

    def test_spanish_search_never_returns_english_pages(self):
        links = result_links(self.client.get("/es/buscar/", {"query": "sciatica spasms"}))
        self.assertFalse([link for link in links if not link.startswith("/es/")], links)

    def test_the_search_page_is_in_spanish(self):
        response = self.client.get("/es/buscar/", {"query": "rodilla"})
        html = BeautifulSoup(response.content, "html.parser")
        self.assertEqual(html.html["lang"], "es")
        self.assertEqual(html.title.get_text(), "Resultados de la búsqueda de “rodilla” | SC Sports Medicine")
        self.assertEqual(html.h2.get_text(), "No hay resultados para “rodilla”")
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_hostile_search_input_is_escaped(self):
        for query in ('<script>alert("x")</script> ciática', '" OR 1=1 --', "\x00ciática", "á" * 500):
            with self.subTest(query=query[:20]):
                response = self.client.get("/es/buscar/", {"query": query})
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(b"<script>alert", response.content)

    def test_find_pages_uses_the_language_asked_for(self):
        from django.test import RequestFactory
        from django.utils import translation

        from search.query import clean_query

        with translation.override("es"):
            request = RequestFactory().get("/es/buscar/")
            results, matched_all = find_pages(live_pages(request), clean_query("ciática"), "es")
            self.assertTrue(matched_all)
            self.assertEqual([page.url for page in results], [SEED_ES])


@override_settings(FORM_RATE_LIMIT="")
class SpanishAppointmentFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()
        cls.page = AppointmentPage.objects.get(locale__language_code="es")

    def test_the_form_is_in_spanish(self):
        response = self.client.get("/es/cita/")
        html = BeautifulSoup(response.content, "html.parser")
        labels = [label.get_text(" ", strip=True) for label in html.select("form.appointment-form label")]
        self.assertEqual(labels[:3], ["Nombre", "Teléfono", "Correo electrónico (opcional)"])
        self.assertIn("En una emergencia médica, llame al 911.", html.select_one(".notice").get_text())
        self.assertEqual(
            [option.get_text() for option in html.select("#id_preferred_clinic option")], ["Clínica de Charleston"]
        )
        self.assertEqual(html.select_one("form.appointment-form button").get_text(), "Enviar solicitud")

    def test_a_spanish_request_is_stored_with_its_language_and_thanked_in_spanish(self):
        response = self.client.post("/es/cita/", spanish_answers())
        self.assertRedirects(response, "/es/cita/thanks/", status_code=303, fetch_redirect_response=False)
        stored = AppointmentRequest.objects.get()
        self.assertEqual(stored.page_id, self.page.pk)
        self.assertEqual(stored.language, "Spanish")
        self.assertEqual(stored.clinic, "Clínica de Charleston")
        # Stored under the same names as English answers: the front desk's columns are the same.
        self.assertEqual(stored.form_data["name"], "Jane Q. Patient")
        self.assertEqual(stored.form_data["preferred_time_of_day"], "Mañana")
        self.assertEqual(stored.get_data()["language"], "Spanish")

        thanks = BeautifulSoup(self.client.get("/es/cita/thanks/").content, "html.parser")
        self.assertEqual(thanks.h1.get_text(), "Gracias: su solicitud se ha enviado")
        self.assertIn("Nuestra recepción le llamará", thanks.get_text())
        self.assertIn("En una emergencia médica, llame al 911.", thanks.get_text())

    def test_the_front_desk_email_names_the_language(self):
        from appointments.notifications import build_message

        self.client.post("/es/cita/", spanish_answers())
        message = build_message(AppointmentRequest.objects.get())
        self.assertIn("Clinic: Clínica de Charleston\nLanguage of the form: Spanish\n", message.body)
        self.assertNotIn("Jane", message.body)

    def test_an_english_request_says_english(self):
        self.client.post("/contact/", answers())
        self.assertEqual(AppointmentRequest.objects.get().language, "English")

    def test_the_front_desk_sees_the_language(self):
        self.client.post("/es/cita/", spanish_answers())
        admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
        self.client.force_login(admin)
        response = self.client.get(reverse("wagtailforms:list_submissions", args=[self.page.pk]))
        self.assertContains(response, "Language")
        self.assertContains(response, "Spanish")
        self.assertEqual(len(mail.outbox), 0)  # sent by the worker, never while the patient waits

    def test_errors_are_in_spanish(self):
        response = self.client.post("/es/cita/", spanish_answers(name="", phone="12", **{ACKNOWLEDGEMENT: None}))
        self.assertEqual(response.status_code, 200)
        summary = BeautifulSoup(response.content, "html.parser").select_one(".error-summary")
        self.assertEqual(summary.h2.get_text(), "Su solicitud todavía no se ha enviado")
        text = summary.get_text(" ", strip=True)
        self.assertIn("Complete “Nombre”.", text)
        self.assertIn("Escriba un número de teléfono de EE. UU. con su código de área", text)
        self.assertIn("Marque “Entiendo que este formulario no es para emergencias ni para dar detalles médicos”", text)
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_hostile_input_is_escaped_and_refused_politely(self):
        response = self.client.post(
            "/es/cita/", spanish_answers(name='<script>alert("x")</script>', preferred_clinic="<b>x</b>")
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(b'<script>alert("x")', response.content)
        self.assertNotIn(b"<b>x</b>", response.content)
        self.assertFalse(AppointmentRequest.objects.exists())
        refused = self.client.post("/es/cita/", "{}", content_type="application/json")
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(
            refused.content.decode().strip(),
            "No se pudo leer la solicitud. Envíe el formulario desde la página de citas.",
        )
        english = self.client.post("/contact/", "{}", content_type="application/json")
        self.assertIn("Please send the form from the contact page.", english.content.decode())


class SpanishMedicalReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()
        cls.reviewer = get_user_model().objects.create_user(
            "drdoe", "drdoe@example.com", "pw", first_name="Jane", last_name="Doe"
        )
        cls.reviewer.groups.add(Group.objects.get(name="Medical reviewers"))
        ReviewerProfile.objects.create(user=cls.reviewer, credentials="MD")

    def spanish_page(self):
        return ConditionPage.objects.get(locale__language_code="es")

    def test_the_demo_spanish_page_awaits_its_own_review(self):
        page = self.spanish_page()
        self.assertEqual(page.get_workflow(), Workflow.objects.get(name="Medical review"))
        self.assertEqual(page.current_workflow_state.status, "in_progress")
        self.assertEqual((page.reviewed_by, page.last_reviewed), ("", None))
        self.assertContains(self.client.get(SEED_ES), "Pendiente de revisión médica")

    def test_approving_the_spanish_page_gives_it_its_own_review_line(self):
        page = self.spanish_page()
        task_state = page.current_workflow_task_state
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": ""}
        )
        self.assertIn(response.status_code, (200, 302))
        self.client.logout()

        page.refresh_from_db()
        today = timezone.localdate()
        self.assertTrue(page.review_is_current)
        self.assertEqual(page.reviewed_by, "Jane Doe, MD")
        self.assertEqual(page.last_reviewed, today)
        html = BeautifulSoup(self.client.get(SEED_ES).content, "html.parser")
        line = html.select_one(".medical-review").get_text(" ", strip=True)
        self.assertTrue(line.startswith("Revisión médica de Jane Doe, MD · Última revisión"), line)
        self.assertIn(timezone.localdate().strftime("%Y"), line)
        # The English page's review is its own: still awaiting.
        english = ConditionPage.objects.get(locale__language_code="en")
        self.assertFalse(english.review_is_current)
        self.assertContains(self.client.get(SEED_EN), "Awaiting medical review")

    def test_syncing_from_english_leaves_the_spanish_review_alone(self):
        from wagtail_localize.models import Translation

        page = self.spanish_page()
        page.reviewed_by, page.last_reviewed = "Jane Doe, MD", timezone.localdate()
        page.save(update_fields=["reviewed_by", "last_reviewed"])
        english = ConditionPage.objects.get(locale__language_code="en")
        english.reviewed_by = "Someone Else, MD"
        english.save_revision().publish()
        translation = Translation.objects.get(source__object_id=english.translation_key, target_locale=page.locale)
        translation.source.update_from_db()
        translation.save_target(publish=False)
        page.refresh_from_db()
        self.assertEqual(page.reviewed_by, "Jane Doe, MD")


class PageCacheLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_cached_pages_never_cross_languages(self):
        first_es = self.client.get("/es/")
        first_en = self.client.get("/")
        again_es = self.client.get("/es/")
        again_en = self.client.get("/")
        self.assertEqual((first_es["X-Page-Cache"], first_en["X-Page-Cache"]), ("miss", "miss"))
        self.assertEqual((again_es["X-Page-Cache"], again_en["X-Page-Cache"]), ("hit", "hit"))
        self.assertIn(b'<html lang="es">', again_es.content)
        self.assertIn(b'<html lang="en">', again_en.content)
        spanish_browser = self.client.get("/", headers={"accept-language": "es"})
        self.assertIn(b'<html lang="en">', spanish_browser.content)

    def test_publishing_a_translation_retires_the_english_page(self):
        self.assertIn(b'<link rel="alternate" hreflang="es"', self.client.get(SEED_EN).content)
        self.assertEqual(self.client.get(SEED_EN)["X-Page-Cache"], "hit")
        ConditionPage.objects.get(locale__language_code="es").unpublish()
        response = self.client.get(SEED_EN)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertNotIn(b'<link rel="alternate" hreflang="es"', response.content)
