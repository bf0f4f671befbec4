"""Reads the practice's original sciatica / back-spasm page (demo/fixtures) into its parts.

The document is plain text: a title line, paragraphs separated by blank lines, headings as short
lines without a full stop, and bullet items "• Name – explanation".
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent / "fixtures" / "sciatica-back-spasms.txt"
BULLET = "•"
NAME_SEPARATOR = " – "
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SeedDocument:
    title: str
    intro: list[str]
    sections: list[Section]


def split_sentences(text):
    return [sentence.strip() for sentence in _SENTENCE_END.split(text.strip()) if sentence.strip()]


def _is_heading(block):
    return "\n" not in block and not block.rstrip().endswith((".", ":", "!", "?")) and len(block) < 80


def read_seed(path=SEED_PATH):
    blocks = [block.strip() for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if block.strip()]
    title, *rest = blocks
    intro, sections = [], []
    for block in rest:
        if block.startswith(BULLET):
            for line in block.splitlines():
                name, _, explanation = line.strip().lstrip(BULLET).strip().partition(NAME_SEPARATOR)
                sections[-1].bullets.append((name.strip(), explanation.strip()))
        elif _is_heading(block):
            sections.append(Section(heading=block))
        elif sections:
            sections[-1].paragraphs.append(" ".join(block.split()))
        else:
            intro.append(" ".join(block.split()))
    return SeedDocument(title=title, intro=intro, sections=sections)
