"""How the import reads an old page's structure: each part to its block, nothing dropped."""

from django.test import SimpleTestCase
from django.utils.html import strip_tags

from importer.html import parse
from importer.recognise import recognise
from importer.sources import OldPage, seo_title, without_site_name
from importer.structure import split_rich_sentences
from importer.vocabulary import body_areas


def draft_of(body, **fields):
    return recognise(OldPage(old_url="https://old.example/knee-pain/", title="Knee Pain", body_html=body, **fields))


def all_text(draft):
    """The draft's words: its summary and every text in its blocks."""
    texts = [draft.summary]

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            texts.append(strip_tags(value).replace("&amp;", "&"))

    walk(draft.body)
    return " ".join(" ".join(texts).split())


class RecognitionTests(SimpleTestCase):
    def test_bold_paragraphs_as_headings_bold_names_as_causes_and_a_questions_heading(self):
        draft = draft_of(
            "<p>Knee pain has many sources.</p><p><strong>Causes</strong></p>"
            "<p><strong>Overuse</strong> – doing too much, too soon.</p><p><b>Age:</b> cartilage wears thin.</p>"
            "<p><strong>Questions?</strong></p><p><b>Does it go away?</b></p><p>Often, with rest.</p>"
        )
        self.assertEqual([block["type"] for block in draft.body], ["causes", "faq"])
        self.assertEqual(
            draft.body[0]["value"]["causes"],
            [
                {"name": "Overuse", "explanation": "doing too much, too soon."},
                {"name": "Age", "explanation": "cartilage wears thin."},
            ],
        )
        self.assertEqual(draft.body[1]["value"]["questions"][0]["question"], "Does it go away?")

    def test_symptoms_when_to_see_a_doctor_and_a_run_of_question_headings(self):
        draft = draft_of(
            "<p>Knee pain is common.</p><h2>Symptoms</h2><p>You may notice:</p><ul><li>Pain</li><li>Swelling</li></ul>"
            "<h2>When to See a Doctor</h2><p>Call 911 if the leg goes numb.</p>"
            "<h2>Is it serious?</h2><p>Rarely.</p><h2>Can children get it?</h2><p>Yes.</p>"
        )
        types = {block["type"]: block["value"] for block in draft.body}
        self.assertEqual(types["symptoms"]["symptoms"], ["Pain", "Swelling"])
        self.assertEqual(types["when_to_seek_care"]["urgency"], "emergency")
        self.assertEqual(len(types["faq"]["questions"]), 2)
        self.assertEqual(draft.still_to_write, [])

    def test_nothing_is_dropped_from_an_odd_page(self):
        body = (
            "<div class='wrap'>Loose words before any paragraph.<p>First point. Second point!</p>"
            "<h2>Data</h2><table><tr><td>Cell one</td><td>Cell two</td></tr></table>"
            "<h3>Under it</h3><p>Sub text &amp; more.</p><blockquote>A quote.</blockquote>"
            "<h2>Treatment</h2></div>"
        )
        text = all_text(draft_of(body))
        for words in ("Loose words before any paragraph.", "First point. Second point!", "Cell one Cell two"):
            self.assertIn(words, text)
        for words in ("Under it", "Sub text & more.", "A quote."):
            self.assertIn(words, text)

    def test_sentences_never_split_inside_bold_or_links(self):
        html = '<b>Rest. Then ice.</b> See <a href="/x/">our page. It helps</a>. Call us.'
        self.assertEqual(
            split_rich_sentences(html), ['<b>Rest. Then ice.</b> See <a href="/x/">our page. It helps</a>.', "Call us."]
        )

    def test_categories_that_name_a_body_area(self):
        self.assertEqual(
            body_areas(["Back Pain", "Foot & Ankle", "Sports Medicine", "Uncategorized", "News"]),
            (["spine", "foot-ankle", "sports"], ["News"]),
        )

    def test_title_tags_without_the_old_site_name(self):
        page = OldPage(old_url="/", title="Knee Pain", body_html="")
        self.assertEqual(seo_title("%%title%% %%sep%% %%sitename%%", "Knee Pain", page), "Knee Pain")
        self.assertEqual(
            seo_title("Knee Pain Doctor in Charleston", "Knee Pain", page), "Knee Pain Doctor in Charleston"
        )
        self.assertEqual(without_site_name("Knee Pain Treatment | SC Sports Medicine"), "Knee Pain Treatment")

    def test_scripts_and_styles_are_never_content(self):
        tree = parse("<p>Shown.</p><script>hidden()</script><style>p{}</style><p>Also shown.</p>")
        self.assertEqual(tree.text(), "Shown. Also shown.")
