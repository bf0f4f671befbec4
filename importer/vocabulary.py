"""The words that tell the import what it is reading: which block a section's heading asks for, a
treatment option's kind, a closing contact line, and which body area a WordPress category names."""

import re

from conditions.related import BODY_AREAS

# Which block a section's heading asks for, tried in this order.
SECTION_KINDS = [
    ("faq", re.compile(r"\bfaqs?\b|frequently asked|\bquestions\b", re.I)),
    ("when_to_seek_care", re.compile(r"\bwhen to (see|seek|call|visit|get)\b", re.I)),
    ("symptoms", re.compile(r"\bsymptoms?\b|\bsigns\b", re.I)),
    ("causes", re.compile(r"\bcaus(e|es|ed)\b|risk factors?", re.I)),
    ("complications", re.compile(r"\bcomplications?\b", re.I)),
    ("treatment", re.compile(r"\btreat|\btherap|\bmanag(e|ing|ement)\b|\bgetting help\b|\brelief\b", re.I)),
]
# A treatment option's kind, from the first of these words its name (else its explanation) uses.
KIND_WORDS = {
    "surgery": ("surgery", "surgical", "arthroscop", "replacement", "operation"),
    "injection": ("injection", "inject"),
    "physical_therapy": ("physical therapy", "physiotherapy", "exercise", "stretch", "massage"),
    "medication": ("medication", "medicine", "anti-inflammator", "drug", "ibuprofen", "nsaid"),
    "home_care": ("heat", "ice", "rest", "brace", "splint", "at home"),
}
CONTACT_LINE = re.compile(
    r"^(contact|call|schedule|book|request|get in touch|reach out|make an appointment)\b"
    r"|\b(contact us|call us|call our|schedule an appointment|request an appointment)\b",
    re.I,
)
AREA_NOISE = {"and", "injuries", "injury", "medicine"}


def treatment_kind(name, explanation):
    for text in (name.casefold(), explanation.casefold()):
        positions = {
            kind: min((text.find(w) for w in words if w in text), default=-1) for kind, words in KIND_WORDS.items()
        }
        positions = {kind: at for kind, at in positions.items() if at >= 0}
        if positions:
            return min(positions, key=positions.get)
    return "other"


def body_areas(categories):
    """(body area keys, categories matching none) for WordPress categories such as "Back Pain"."""
    areas, unmatched = [], []
    for category in categories:
        words = set(re.findall(r"[a-z]+", category.casefold())) - AREA_NOISE
        matches = [
            key
            for key, label in BODY_AREAS
            if key == category.casefold() or words & (set(re.findall(r"[a-z]+", label.casefold())) - AREA_NOISE)
        ]
        areas += [key for key in matches if key not in areas]
        if not matches and category.casefold() != "uncategorized":
            unmatched.append(category)
    return areas, unmatched
