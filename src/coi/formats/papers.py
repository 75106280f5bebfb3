"""An agenda item's papers read into text, page by page, once: when they are added or loaded.

The text is stored with the item, so ``coi check`` never opens a paper and a dump carries
what was read. PDF pages are the PDF's pages; a DOCX, an HTML or a text paper is one page.
A paper that cannot be read (missing, too large, encrypted, corrupt) or a PDF with no text
layer (a scan) is refused with one line naming the file: matching nothing would look like
"no conflicts" when the paper was never searched.
"""

from __future__ import annotations

import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from coi.domain.model import Paper
from coi.formats.yamlread import LIMIT_VARIABLE, size_limit

# The most bytes read from one paper: a long tender evaluation with figures runs to a few
# MiB; 32 MiB leaves room and still refuses a device or a mistaken video. COI_MAX_FILE_MB
# raises (or lowers) it like the other inputs' limits.
PAPER_LIMIT = 32 * 2**20

SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".text", ".md")

# What no stored text may hold (the register's multi-line rule): NUL and the other C0
# controls but tab, newline and CR, DEL, the C1 controls, and the bidi overrides. PDFs put
# form feeds and odd controls between words; a space keeps the words apart.
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class PaperError(Exception):
    """Why a paper cannot be read; the reader reports it at the field that named it."""


def read_paper(path: Path) -> Paper:
    """The paper at ``path`` as a ``Paper`` (its file name and each page's text)."""
    raw = _bytes(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages = _pdf(raw)
    elif suffix == ".docx":
        pages = (_docx(raw),)
    elif suffix in (".html", ".htm"):
        pages = (_html(_decode(raw)),)
    elif suffix in (".txt", ".text", ".md"):
        pages = (_decode(raw),)
    else:
        raise PaperError(f"not a paper coi reads (PDF, DOCX, HTML or text: {', '.join(SUFFIXES)})")
    pages = tuple(_clean(p) for p in pages)
    if not any(p.strip() for p in pages):
        if suffix == ".pdf":
            raise PaperError("a scanned PDF with no text layer: nothing in it can be searched")
        raise PaperError("has no text")
    return Paper(name=path.name, pages=pages)


def _bytes(path: Path) -> bytes:
    limit = size_limit(PAPER_LIMIT)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise PaperError("file not found") from None
    except IsADirectoryError:
        raise PaperError("is a folder, not a paper") from None
    except OSError as exc:
        raise PaperError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        mib = f"{limit / 2**20:.3g} MiB"
        why = f"larger than {mib}, the most coi reads (set {LIMIT_VARIABLE} to raise it)"
        raise PaperError(why)
    return raw


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PaperError(f"not UTF-8 text ({exc.reason})") from None


def _clean(text: str) -> str:
    return _BAD.sub(" ", text).strip()


def _pdf(raw: bytes) -> tuple[str, ...]:
    from pypdf import PdfReader

    # pypdf logs what it repairs in a damaged file; the one-line error says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise PaperError("an encrypted PDF: save it without a password and add it again")
        return tuple(page.extract_text() or "" for page in reader.pages)
    except PaperError:
        raise
    except RecursionError:
        raise PaperError("not a readable PDF (its objects refer to each other in a loop)") from None
    # pypdf raises its own errors and, on a broken or hostile file, any other from deep
    # inside (KeyError, ZeroDivisionError, NotImplementedError for an unknown filter...):
    # each is a paper that cannot be read, never a traceback.
    except Exception as exc:
        raise PaperError(f"not a readable PDF ({_first_line(exc)})") from None


def _docx(raw: bytes) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(raw))
        lines = [p.text for p in document.paragraphs]
        # Tender scores and bidders' names are often in tables.
        for table in document.tables:
            for row in table.rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    # As for a PDF: whatever a broken file makes the parser raise is an unreadable paper.
    except Exception as exc:
        raise PaperError(f"not a readable DOCX ({_first_line(exc)})") from None
    return "\n".join(lines)


class _Text(HTMLParser):
    """The text of an HTML page: what a reader sees, not scripts or styles."""

    _SKIP = frozenset({"script", "style", "template", "head"})
    _BREAK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BREAK or tag in ("td", "th"):
            self.parts.append("\n" if tag in self._BREAK else "\t")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html(text: str) -> str:
    parser = _Text()
    parser.feed(text)
    parser.close()
    return re.sub(r"\n\s*\n+", "\n", "".join(parser.parts))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__
