"""An old page turned into a condition page's fields and typed blocks (stored form), with what was
recognised, what was left in text blocks and what the editor must still do.

The old pages read: an intro, "Common Causes" as "Name – explanation" items, "Complications",
"Getting Treatment", perhaps questions and answers, and a contact line. Each part goes to the block
made for it; anything else goes, in order, into text sections, so that no sentence is lost.
"""

import re
from dataclasses import dataclass, field
from html import escape

from conditions.forms import REQUIRED_BLOCKS
from conditions.models import SUMMARY_BUDGET
from importer.html import Node, paragraph_html, rich_text
from importer.structure import (
    Item,
    content_node,
    flatten,
    list_items,
    named_item,
    plain,
    sections,
    split_rich_sentences,
    split_sentences,
)
from importer.vocabulary import CONTACT_LINE, SECTION_KINDS, body_areas, treatment_kind

HEADING_MAX = 120
SUMMARY_MAX = SUMMARY_BUDGET + 100  # ConditionPage.summary's max_length
OVERVIEW_HEADING = "Overview"
FAQ_HEADING = "Frequently asked questions"


@dataclass
class Draft:
    """What the import makes of one old page (before it is written)."""

    title: str
    summary: str
    seo_title: str
    search_description: str
    body_areas: list
    body: list
    recognised: list = field(default_factory=list)
    left_in_text: list = field(default_factory=list)
    images_missing: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def still_to_write(self):
        present = {block["type"] for block in self.body}
        return [description for kind, description in REQUIRED_BLOCKS.items() if kind not in present]

    def fields(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "seo_title": self.seo_title,
            "search_description": self.search_description,
            "body_areas": self.body_areas,
            "body": self.body,
        }


def recognise(old_page, link_for=None, image_for=None):
    """A Draft of `old_page`: `link_for(href)` gives a page id for links to imported old pages,
    `image_for(page, src, alt)` the id of the imported image (None when its file is missing)."""
    recogniser = _Recogniser(old_page, link_for, image_for or (lambda *args: None))
    return recogniser.run()


class _Recogniser:
    def __init__(self, old_page, link_for, image_for):
        self.page = old_page
        self.link_for = link_for
        self.image_for = image_for
        self.body = []
        areas, unmatched = body_areas(old_page.categories)
        self.draft = Draft(
            title=old_page.title or old_page.old_path.strip("/"),
            summary="",
            seo_title=old_page.seo_title[:255],
            search_description=old_page.seo_description,
            body_areas=areas,
            body=self.body,
            warnings=list(old_page.warnings),
        )
        if unmatched:
            self.draft.warnings.append(f"Categories that match no body area: {', '.join(unmatched)}.")

    def rich(self, item):
        if item.override:
            return item.override
        if item.kind == "heading" or item.node is None:
            return f"<p><b>{escape(item.text, quote=False)}</b></p>"
        if item.kind == "list":
            wrapper = Node("div")
            wrapper.children = [item.node]
            return rich_text(wrapper, self.link_for)
        return rich_text(item.node, self.link_for)

    def run(self):
        items = flatten(content_node(self.page.body_html))
        contact = self.split_contact_line(items)
        intro, found = sections(items)
        self.take_intro(intro)
        for section in merge_questions(found):
            self.take_section(section)
        if contact:
            self.add("call_to_action", {"text": contact, "link_label": "Request an appointment", "page": None})
            self.draft.recognised.append("call to action (the contact line)")
        if self.draft.title == self.page.old_path.strip("/"):
            self.draft.warnings.append("The old page had no title: the import used its address.")
        return self.draft

    def add(self, block_type, value):
        self.body.append({"type": block_type, "value": value})

    def add_text(self, heading, items):
        """A text section of these items (its images as image blocks after it), reported as left in text."""
        text = paragraph_html([self.rich(item) for item in items if item.kind != "image"])
        if text:
            self.add("text_section", {"heading": self.fit_heading(heading), "text": text})
            self.draft.left_in_text.append(heading)
        self.add_images(items)

    def add_images(self, items):
        for item in items:
            if item.kind != "image" or not item.src:
                continue
            image_id = self.image_for(self.page, item.src, item.alt)
            if image_id is None:
                self.draft.images_missing.append(item.src)
                continue
            if not item.alt:
                self.draft.warnings.append(f"Image {item.src} has no alt text: describe it, or mark it decorative.")
            value = {"image": image_id, "decorative": False, "alt_text": item.alt}
            self.add("image", {"image": value, "caption": item.caption[:250]})

    def fit_heading(self, heading):
        if len(heading) > HEADING_MAX:
            self.draft.warnings.append(f"Heading longer than {HEADING_MAX} characters, shorten it: “{heading}”.")
        return heading

    def split_contact_line(self, items):
        """The page's closing contact line ("Contact … to discuss …"), taken out of its paragraph."""
        last = next((item for item in reversed(items) if item.kind == "paragraph"), None)
        if last is None:
            return ""
        sentences = split_rich_sentences(self.rich(last))
        if not sentences or not CONTACT_LINE.search(plain(sentences[-1])) or len(plain(sentences[-1])) > 400:
            return ""
        if len(sentences) == 1:
            items.remove(last)
        else:
            last.override = " ".join(sentences[:-1])
        return plain(sentences[-1])

    # --- the intro -----------------------------------------------------------------------------

    def take_intro(self, intro):
        first = next((item for item in intro if item.kind == "paragraph"), None)
        if first is None:
            self.draft.summary = self.draft.title
            self.draft.warnings.append("No introduction to take the summary from: write one.")
            self.add_text(OVERVIEW_HEADING, intro)
            return
        sentences = split_rich_sentences(self.rich(first))
        taken = 1
        while taken < len(sentences) and len(plain(" ".join(sentences[: taken + 1]))) <= SUMMARY_BUDGET:
            taken += 1
        summary = plain(" ".join(sentences[:taken]))
        if len(summary) > SUMMARY_MAX:
            # One very long sentence: the summary is its start, and the whole paragraph stays in the text.
            self.draft.summary = summary[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
            self.draft.warnings.append("The intro's first sentence is too long for a summary: rewrite the summary.")
        else:
            self.draft.summary = summary
            rest = sentences[taken:]
            if rest:
                first.override = " ".join(rest)
            else:
                intro = [item for item in intro if item is not first]
        self.draft.recognised.append("summary")
        self.add_text(OVERVIEW_HEADING, intro)

    # --- sections ------------------------------------------------------------------------------

    def take_section(self, section):
        present = {block["type"] for block in self.body}
        for kind, pattern in SECTION_KINDS:
            if kind not in present and (pattern.search(section.heading) or section.kind == kind):
                if getattr(self, f"take_{kind}")(section):
                    return
        self.add_text(section.heading, section.items)

    def entries(self, items, plain_items=False):
        """(before, entries, after): the named entries of a section ("Name – explanation" list items,
        bold names, or sub-headings over paragraphs) and the items around them. None when a list's
        items are not all named (unless `plain_items`: each item then names itself)."""
        before, entries, after = [], [], []
        under_heading = False
        for item in items:
            if after or item.kind == "image":
                (after if entries else before).append(item)
            elif item.kind == "list":
                for li in list_items(item.node):
                    pair = named_item(li, self.link_for)
                    if pair is None and not plain_items:
                        return None
                    entries.append(list(pair or (li.text(), "")))
                under_heading = False
            elif item.kind == "heading":
                entries.append([item.text, ""])
                under_heading = True
            elif under_heading:
                entries[-1][1] = " ".join(filter(None, [entries[-1][1], plain(self.rich(item))]))
            elif pair := named_item(item.node, self.link_for):
                entries.append(list(pair))
            else:
                (after if entries else before).append(item)
        return before, entries, after

    def take_causes(self, section):
        found = self.entries(section.items)
        if not found or not found[1] or any(not explanation for _, explanation in found[1]):
            return False
        before, causes, after = found
        intro = "\n\n".join(plain(self.rich(item)) for item in before if item.kind != "image")
        value = {"heading": self.fit_heading(section.heading), "intro": intro, "causes": []}
        value["causes"] = [{"name": name, "explanation": explanation} for name, explanation in causes]
        self.add("causes", value)
        self.draft.recognised.append(f"causes ({len(causes)})")
        self.add_images(before)
        self.add_text(section.heading, after)
        return True

    def take_complications(self, section):
        texts, listed = [], []
        for item in section.items:
            if item.kind == "list" and all(len(li.text()) <= 160 for li in list_items(item.node)):
                listed += [li.text() for li in list_items(item.node)]
            elif item.kind in ("paragraph", "list"):
                texts.append(self.rich(item))
        heading = self.fit_heading(section.heading)
        self.add("complications", {"heading": heading, "text": paragraph_html(texts), "complications": listed})
        self.draft.recognised.append("complications")
        self.add_images(section.items)
        return True

    def take_treatment(self, section):
        before, options, after = self.entries(section.items, plain_items=True)
        if not options:
            # One option per paragraph, named by its first sentence (the editor shortens the names).
            paragraphs = [item for item in before if item.kind == "paragraph"]
            before = [item for item in before if item.kind != "paragraph"]
            for item in paragraphs:
                sentences = split_sentences(plain(self.rich(item)))
                name = sentences[0] if len(sentences[0]) <= 100 else sentences[0][:99].rsplit(" ", 1)[0] + "…"
                rest = sentences[1:] if name == sentences[0] else sentences
                options.append([name, " ".join(rest)])
            if options:
                self.draft.warnings.append(
                    "Treatment options are named by their paragraph's first sentence: shorten the names."
                )
        if not options:
            return False
        intro = "\n\n".join(plain(self.rich(item)) for item in before if item.kind != "image")
        value = {"heading": self.fit_heading(section.heading), "intro": intro, "options": []}
        for name, explanation in options:
            value["options"].append(
                {
                    "name": name,
                    "kind": treatment_kind(name, explanation),
                    "explanation": explanation,
                    "treatment_page": None,
                }
            )
        self.add("treatment", value)
        self.draft.recognised.append(f"treatment ({counted(len(options), 'option')})")
        self.add_images(before)
        self.add_text(section.heading, after)
        return True

    def take_symptoms(self, section):
        lists = [item for item in section.items if item.kind == "list"]
        if len(lists) != 1 or any(len(li.text()) > 160 for li in list_items(lists[0].node)):
            return False
        position = section.items.index(lists[0])
        before = [item for item in section.items[:position] if item.kind == "paragraph"]
        intro = "\n\n".join(plain(self.rich(item)) for item in before)
        symptoms = [li.text() for li in list_items(lists[0].node)]
        self.add("symptoms", {"heading": self.fit_heading(section.heading), "intro": intro, "symptoms": symptoms})
        self.draft.recognised.append(f"symptoms ({len(symptoms)})")
        rest = [item for item in section.items if item is not lists[0] and item not in before]
        self.add_text(section.heading, [item for item in rest if item.kind != "image"])
        self.add_images(section.items)
        return True

    def take_when_to_seek_care(self, section):
        text = paragraph_html([self.rich(item) for item in section.items if item.kind in ("paragraph", "list")])
        if not text:
            return False
        urgency = "emergency" if re.search(r"\b911\b|emergency", plain(text), re.I) else "routine"
        self.add("when_to_seek_care", {"heading": self.fit_heading(section.heading), "urgency": urgency, "text": text})
        self.draft.recognised.append("when to seek care")
        self.add_images(section.items)
        return True

    def take_faq(self, section):
        before, questions, after, current = [], [], [], None
        for item in section.items:
            if item.kind in ("heading", "paragraph") and item.text.endswith("?") and len(item.text) <= 200:
                current = {"question": item.text, "answer": []}
                questions.append(current)
            elif item.kind in ("paragraph", "list") and current is not None:
                current["answer"].append(self.rich(item))
            elif item.kind != "image":
                (after if questions else before).append(item)
        questions = [{"question": q["question"], "answer": paragraph_html(q["answer"])} for q in questions]
        if not questions or any(not q["answer"] for q in questions):
            return False
        self.add_text(section.heading, before)
        self.add("faq", {"heading": self.fit_heading(section.heading), "questions": questions})
        self.draft.recognised.append(f"FAQ ({counted(len(questions), 'question')})")
        self.add_text(section.heading, after)
        self.add_images(section.items)
        return True


def merge_questions(found):
    """Sections whose headings are questions join the FAQ section before them; two or more in a row
    without one become an FAQ of their own."""
    merged = []
    for section in found:
        names_faq = bool(SECTION_KINDS[0][1].search(section.heading))
        # "Questions?" heads an FAQ rather than being one of its questions.
        is_question = section.heading.endswith("?") and not names_faq
        previous = merged[-1] if merged else None
        if is_question and previous is not None and previous.kind == "faq":
            previous.items += [Item("heading", None, section.heading, level=9), *section.items]
            continue
        if is_question and previous is not None and previous.is_question:
            # A second question in a row: the two start an FAQ.
            previous.kind = "faq"
            previous.items = [Item("heading", None, previous.heading, level=9), *previous.items]
            previous.heading = FAQ_HEADING
            previous.items += [Item("heading", None, section.heading, level=9), *section.items]
            continue
        section.is_question = is_question
        if names_faq:
            section.kind = "faq"
        merged.append(section)
    return merged


def counted(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
