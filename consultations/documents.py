"""Turn a pasted Markdown draft or an uploaded .docx into ordered sections.

Chapters come from headings ("# 第一章 总则", Word's Heading styles, or a
line starting 第X章); articles from lines starting 第X条 (or "Article N");
text before the first chapter or article is the preamble; other paragraphs
belong to the article above them.
"""

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from consultations.models import Section

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"
ARTICLE = re.compile(rf"^\s*(第{NUMERAL}条|Article\s+\d+\.?)\s*(.*)$", re.IGNORECASE)
CHAPTER = re.compile(rf"^\s*(第{NUMERAL}章|Chapter\s+\d+\.?)\s*(.*)$", re.IGNORECASE)
MAX_SECTIONS = 1000


class DocumentError(ValueError):
    """The upload is not a document that can be read."""


@dataclass
class ParsedSection:
    kind: str
    number: str = ""
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(p for p in self.paragraphs if p)


def chinese_number(text: str) -> int | None:
    """第十二条 → 12; Article 7 → 7."""
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    core = re.sub(r"^第|[条章节]$", "", text)
    total, current = 0, 0
    for char in core:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in CN_UNITS:
            total += (current or 1) * CN_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def parse_blocks(blocks: list[tuple[str, str]]) -> list[ParsedSection]:
    """``blocks`` are (style, text) pairs; style is "heading" or "text"."""
    sections: list[ParsedSection] = []
    current: ParsedSection | None = None
    for style, raw in blocks:
        text = raw.strip()
        if not text:
            continue
        chapter = CHAPTER.match(text)
        article = ARTICLE.match(text)
        if article:
            current = ParsedSection(
                Section.Kind.ARTICLE, number=article.group(1).strip()
            )
            if article.group(2):
                current.paragraphs.append(article.group(2).strip())
            sections.append(current)
        elif style == "heading" or chapter:
            number, heading = (
                (chapter.group(1).strip(), chapter.group(2).strip())
                if chapter
                else ("", text)
            )
            sections.append(ParsedSection(Section.Kind.CHAPTER, number, heading))
            current = None
        elif current is None:
            current = ParsedSection(
                Section.Kind.PREAMBLE if not sections else Section.Kind.PARAGRAPH
            )
            current.paragraphs.append(text)
            sections.append(current)
        else:
            current.paragraphs.append(text)
        if len(sections) > MAX_SECTIONS:
            raise DocumentError("too many sections")
    return sections


def blocks_from_markdown(text: str) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(("text", "\n".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            flush()
            blocks.append(("heading", stripped.lstrip("#").strip()))
        elif not stripped:
            flush()
        elif ARTICLE.match(stripped) or CHAPTER.match(stripped):
            flush()
            blocks.append(("text", stripped))
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def blocks_from_docx(upload: IO[bytes]) -> list[tuple[str, str]]:
    try:
        document = docx.Document(upload)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        etree.LxmlError,
    ) as error:
        raise DocumentError(str(error)) from error
    blocks = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        is_heading = style.lower().startswith(("heading", "title", "标题"))
        blocks.append(("heading" if is_heading else "text", paragraph.text))
    return blocks


def anchors_for(sections: list[ParsedSection]) -> list[str]:
    """Stable anchors: article-3 for 第三条, chapter-2 for 第二章, else by order."""
    anchors, used = [], set()
    counters = {"chapter": 0, "article": 0, "paragraph": 0, "preamble": 0}
    for section in sections:
        counters[section.kind] += 1
        number = chinese_number(section.number) if section.number else None
        anchor = f"{section.kind}-{number or counters[section.kind]}"
        while anchor in used:
            anchor += "-b"
        used.add(anchor)
        anchors.append(anchor)
    return anchors
