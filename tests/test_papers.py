"""Agenda items' papers (issue 11, "Papers"): read once into text page by page, searched by
`coi check` like the item's own text, with the paper and page in the reason; a paper that
cannot be searched is refused with one line naming it, and a dump carries the text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coi.cli.app import app
from coi.domain.model import Paper
from coi.formats.papers import PaperError, read_paper

MEETING = "lit-2027-01"


def make_pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF with one text stream per page (a page of "" has no text layer,
    as a scanned page has none)."""
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        shown = "".join(f"({line}) Tj 0 -14 Td " for line in text.split("\n")) if text else ""
        stream = f"BT /F1 12 Tf 72 720 Td {shown}ET".encode() if text else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


EVALUATION = ["Tender evaluation", "Method and weights", "The panel scored Harbour highest"]


@pytest.fixture
def evaluation(tmp_path: Path) -> Path:
    path = tmp_path / "evaluation.pdf"
    path.write_bytes(make_pdf(EVALUATION))
    return path


def run(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, *args])


def item_flags(runner: CliRunner, db: str, number: str) -> dict[str, list[str]]:
    result = run(runner, db, "check", MEETING, "--format", "json")
    assert result.exit_code == 0, result.stderr
    item = next(i for i in json.loads(result.stdout)["items"] if i["number"] == number)
    return {f["person"]: [p["text"] for p in f["paths"]] for f in item["flags"]}


# -- reading papers -------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page(evaluation: Path) -> None:
    paper = read_paper(evaluation)
    assert paper.name == "evaluation.pdf"
    assert len(paper.pages) == 3
    assert "Harbour" in paper.pages[2] and "Harbour" not in paper.pages[0]


def test_docx_html_and_text_papers_are_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Letter from Harbour Drug and Alcohol Services")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Bidder"
    table.rows[0].cells[1].text = "Routeways"
    document.save(str(tmp_path / "letter.docx"))
    letter = read_paper(tmp_path / "letter.docx")
    assert "Harbour Drug and Alcohol Services" in letter.pages[0]
    assert "Routeways" in letter.pages[0]  # tables are read too

    (tmp_path / "note.html").write_text(
        "<html><head><style>p {}</style></head><body><p>Harbour &amp; partners</p>"
        "<script>Routeways</script></body></html>"
    )
    assert read_paper(tmp_path / "note.html") == Paper("note.html", ("Harbour & partners",))

    (tmp_path / "note.txt").write_text("Harbour\u000cnext page\n")
    # A control character no stored text may hold becomes a space.
    assert read_paper(tmp_path / "note.txt").pages == ("Harbour next page",)


def _encrypted(path: Path, source: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(source))
    writer.encrypt("secret")
    writer.write(str(path))


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("missing.pdf", "file not found"),
        ("corrupt.pdf", "not a readable PDF"),
        ("encrypted.pdf", "an encrypted PDF"),
        ("scanned.pdf", "a scanned PDF with no text layer"),
        ("broken.docx", "not a readable DOCX"),
        ("slides.pptx", "not a paper coi reads"),
        ("empty.txt", "has no text"),
    ],
)
def test_a_paper_that_cannot_be_searched_is_refused(
    tmp_path: Path, evaluation: Path, name: str, why: str
) -> None:
    path = tmp_path / name
    if name == "corrupt.pdf":
        path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    elif name == "encrypted.pdf":
        _encrypted(path, evaluation)
    elif name == "scanned.pdf":
        path.write_bytes(make_pdf(["", ""]))
    elif name in ("broken.docx", "slides.pptx"):
        path.write_bytes(b"PK but no zip")
    elif name == "empty.txt":
        path.write_text("  \n")
    with pytest.raises(PaperError, match=why):
        read_paper(path)


def test_a_paper_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Harbour " * 1000)
    monkeypatch.setenv("COI_MAX_FILE_MB", "0.001")
    with pytest.raises(PaperError, match="larger than"):
        read_paper(path)


# -- through the command line ------------------------------------------------------------


def test_a_paper_naming_harbour_flags_devika_with_paper_and_page(
    runner: CliRunner, example_sqlite_url: str, evaluation: Path
) -> None:
    db = example_sqlite_url
    added = run(runner, db, "agenda", "add", MEETING, "9", "Service update")
    assert added.exit_code == 0, added.stderr
    assert "devika-chandra" not in item_flags(runner, db, "9")  # the title names no one

    run(runner, db, "agenda", "remove", MEETING, "9")
    added = run(
        runner, db, "agenda", "add", MEETING, "9", "Service update", "--paper", str(evaluation)
    )
    assert added.exit_code == 0, added.stderr
    reasons = item_flags(runner, db, "9")["devika-chandra"]
    assert any("item 9's paper evaluation.pdf, page 3, names Harbour" in r for r in reasons)


def test_a_paper_reference_is_matched_like_the_items_text(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path
) -> None:
    paper = tmp_path / "scores.txt"
    paper.write_text("Scores for tender T-2027-021 are attached.")
    args = ("agenda", "add", MEETING, "9", "Scores", "--paper", str(paper))
    assert run(runner, example_sqlite_url, *args).exit_code == 0
    reasons = item_flags(runner, example_sqlite_url, "9")["devika-chandra"]
    assert any("item 9's paper scores.txt mentions T-2027-021" in r for r in reasons)


def _agenda(runner: CliRunner, db: str) -> str:
    result = run(runner, db, "dump")
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize("kind", ["encrypted", "scanned", "corrupt", "missing"])
def test_a_bad_paper_is_one_line_exit_2_and_changes_nothing(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path, evaluation: Path, kind: str
) -> None:
    bad = tmp_path / f"{kind}.pdf"
    if kind == "encrypted":
        _encrypted(bad, evaluation)
    elif kind == "scanned":
        bad.write_bytes(make_pdf([""]))
    elif kind == "corrupt":
        bad.write_bytes(b"%PDF-1.4 not really")
    before = _agenda(runner, example_sqlite_url)
    args = ["agenda", "add", MEETING, "9", "Update", "--paper", str(evaluation)]
    result = run(runner, example_sqlite_url, *args, "--paper", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{kind}.pdf" in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert _agenda(runner, example_sqlite_url) == before


def test_register_papers_load_relative_and_dump_restores_the_text(
    runner: CliRunner, sqlite_url: str, tmp_path: Path, example: Path, evaluation: Path
) -> None:
    import yaml

    data = yaml.safe_load(example.read_text())
    meeting = next(m for m in data["meetings"] if m["id"] == MEETING)
    (tmp_path / "papers").mkdir()
    evaluation.rename(tmp_path / "papers" / "evaluation.pdf")
    meeting["items"].append(
        {"number": "9", "title": "Service update", "papers": ["papers/evaluation.pdf"]}
    )
    register = tmp_path / "register.yaml"
    register.write_text(yaml.safe_dump(data, sort_keys=False))
    loaded = run(runner, sqlite_url, "load", str(register))
    assert loaded.exit_code == 0, loaded.stderr
    reasons = item_flags(runner, sqlite_url, "9")["devika-chandra"]
    assert any("evaluation.pdf, page 3, names Harbour" in r for r in reasons)

    dump = _agenda(runner, sqlite_url)
    assert "The panel scored Harbour highest" in dump
    # The dump needs no paper file: it carries the text read when the paper was added.
    (tmp_path / "papers" / "evaluation.pdf").unlink()
    copy = tmp_path / "dump.yaml"
    copy.write_text(dump)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    restored = run(runner, other, "load", str(copy))
    assert restored.exit_code == 0, restored.stderr
    assert _agenda(runner, other) == dump
    assert item_flags(runner, other, "9") == item_flags(runner, sqlite_url, "9")


def test_a_bad_paper_in_a_register_file_names_the_line_and_the_paper(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf([""]))
    register = tmp_path / "register.yaml"
    register.write_text(
        "bodies:\n  - {id: b, name: B}\n"
        "meetings:\n  - id: m\n    body: b\n    title: M\n    start: 2027-01-14 10:00\n"
        "    items:\n      - number: '1'\n        title: T\n        papers: [scan.pdf]\n"
    )
    result = run(runner, sqlite_url, "load", str(register))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "register.yaml:11" in line and "scan.pdf" in line and "no text layer" in line
    assert run(runner, sqlite_url, "dump").stdout.count("meetings") == 0


def test_agenda_edit_adds_and_removes_papers(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path, evaluation: Path
) -> None:
    db = example_sqlite_url
    assert run(runner, db, "agenda", "add", MEETING, "9", "Service update").exit_code == 0
    added = run(runner, db, "agenda", "edit", MEETING, "9", "--add-paper", str(evaluation))
    assert added.exit_code == 0, added.stderr
    assert "devika-chandra" in item_flags(runner, db, "9")
    listed = json.loads(run(runner, db, "agenda", "list", MEETING, "--format", "json").stdout)
    assert next(i for i in listed if i["number"] == "9")["papers"] == ["evaluation.pdf"]

    before = _agenda(runner, db)
    missing = run(runner, db, "agenda", "edit", MEETING, "9", "--remove-paper", "other.pdf")
    assert missing.exit_code == 2 and "evaluation.pdf" in missing.stderr
    assert _agenda(runner, db) == before

    removed = run(runner, db, "agenda", "edit", MEETING, "9", "--remove-paper", "evaluation.pdf")
    assert removed.exit_code == 0, removed.stderr
    assert "devika-chandra" not in item_flags(runner, db, "9")
