"""``coi check`` and ``coi pack``: who must declare what on which item, before the meeting."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coi.cli import common
from coi.cli.common import PolicyOption, ReportFormat
from coi.domain.words import Action

if TYPE_CHECKING:
    from coi.domain.conflicts import CheckResult
    from coi.domain.model import Meeting


class PackFormat(StrEnum):
    md = "md"
    html = "html"


def check(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person's flags.")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    fail_on: Annotated[
        Action | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a flag asks for this action or a stronger one (for scripts).",
        ),
    ] = None,
    policy: PolicyOption = None,
) -> None:
    """Flag, item by item, who among the people expected has an interest, through what
    path, and what the policy asks of them (exclude, withdraw, no-vote, declare).

    Pool members of a shared seat with no rota yet are flagged "if attending". An item
    is marked INQUORATE when withdrawals leave fewer voting members than the quorum.

    Example:

    \b
        coi check lit-2027-01 --fail-on withdraw
    """
    from coi.services.checking import check_for

    with common.session() as s:
        checked = check_for(s, meeting, person, policy)
    _render(checked.result, checked.meeting, checked.zone, fmt)
    if fail_on is not None and checked.result.asks_at_least(fail_on):
        raise typer.Exit(1)


def _render(result: CheckResult, meeting: Meeting, zone: str, fmt: ReportFormat) -> None:
    from coi.formats import check_report as report
    from coi.formats.tabular import to_json

    if fmt is ReportFormat.json:
        common.write(to_json(report.check_data(result, meeting, zone)))
        return
    if fmt is ReportFormat.csv:
        common.write(report.check_csv(result))
        return
    if fmt is ReportFormat.md:
        common.write(report.check_markdown(result, meeting, zone))
        return
    if fmt is ReportFormat.html:
        common.write(report.check_html(result, meeting, zone))
        return
    from rich.text import Text

    from coi.formats.check_text import check_lines

    out = common.stdout()
    for line in check_lines(result, meeting, report.local_time(meeting.start, zone), out.width):
        out.print(Text(line.text, style=line.style), soft_wrap=True)
    common.message(f"{len(result.flags)} flag(s) on {len(result.items)} item(s)")


def pack(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    fmt: Annotated[PackFormat, typer.Option("--format", "-f")] = PackFormat.md,
    for_person: Annotated[
        str | None,
        typer.Option("--for", help="One person's pack: papers withheld where they are excluded."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    policy: PolicyOption = None,
) -> None:
    """The meeting pack: the agenda with a "declarations expected" block under each item
    for the chair, or one person's pack that leaves out the papers of items they must be
    excluded from, and says so.

    Example:

    \b
        coi pack ct-board-2027-02 --for maggie-trelawny --format html -o pack.html
    """
    from coi.formats.check_report import PackSource, pack_html, pack_markdown
    from coi.services.checking import pack as make_pack

    with common.session() as s:
        made = make_pack(s, meeting, for_person, policy)
    c = made.checked
    render = pack_html if fmt is PackFormat.html else pack_markdown
    text = render(PackSource(c.result, c.meeting, c.zone, c.body.name, c.names(), made.person))
    if output:
        common.write_output(output, text)
        common.message(f"wrote {output}")
    else:
        common.write(text)
