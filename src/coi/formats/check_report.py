"""A meeting's check written out: JSON and CSV for scripts, Markdown and HTML for people,
and the meeting pack (the agenda with a "declarations expected" block under each item).

The JSON shape is documented in the README and only ever grows: keys are added, never
renamed or removed.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from coi.domain.conflicts import CheckResult, Flag, ItemFinding
from coi.domain.model import Action, AgendaItem, Meeting
from coi.formats.tabular import columns, html_page, html_table, md_inline, pick, to_csv

ACTION_WORDS = {
    Action.EXCLUDE: "exclude: no papers, not present for the item",
    Action.WITHDRAW: "withdraw: leave the room for the item",
    Action.NO_VOTE: "no vote: may speak, may not decide",
    Action.DECLARE: "declare and remain",
    Action.NONE: "nothing to do",
}


def local_time(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


# A path's keys in JSON (stable: keys are only ever added).
PATH_KEYS = (
    "text", "link", "basis", "category", "action", "interest", "score", "rule", "chain", "because"
)  # fmt: skip


def flag_data(flag: Flag) -> dict[str, Any]:
    return {
        **pick(flag, "person"),
        "name": flag.person_name,
        **pick(flag, "action", "capacity", "voting", "if_attending", "needs_check", "interests"),
        "paths": [pick(p, *PATH_KEYS) for p in flag.paths],
    }


def check_data(result: CheckResult, meeting: Meeting, zone: str) -> dict[str, Any]:
    """The whole check as one JSON-ready object."""
    return {
        "meeting": meeting.id,
        "title": meeting.title,
        "body": meeting.body,
        "start": local_time(meeting.start, zone),
        "date": result.day.isoformat(),
        "attendees": [
            {
                "person": a.person,
                "capacity": a.capacity,
                "voting": a.voting,
                "if_attending": a.if_attending,
            }
            for a in result.attendees
        ],
        "items": [
            {
                "number": f.item,
                "title": f.title,
                "kind": f.kind.value,
                "quorum": f.quorum,
                "voting_expected": f.voting_expected,
                "voting_left": f.voting_left,
                "inquorate": f.inquorate,
                "flags": [flag_data(x) for x in f.flags],
            }
            for f in result.items
        ],
    }


TABLE_COLUMNS = columns("who", "capacity", "action", "why")
CSV_COLUMNS = columns(
    "item", "title", "person", "name", "action", "if_attending", "needs_check", "path=Why"
)


def check_rows(result: CheckResult) -> list[dict[str, Any]]:
    """One row per path behind a flag: flat, for spreadsheets."""
    return [
        {
            "item": finding.item,
            "title": finding.title,
            "person": flag.person,
            "name": flag.person_name,
            "action": flag.action.value,
            "if_attending": flag.if_attending,
            "needs_check": flag.needs_check,
            "path": path.text,
        }
        for finding in result.items
        for flag in finding.flags
        for path in flag.paths
    ]


def check_csv(result: CheckResult) -> str:
    return to_csv(check_rows(result), CSV_COLUMNS)


def _who(flag: Flag) -> str:
    extra = []
    if flag.if_attending:
        extra.append("if attending")
    if flag.needs_check:
        extra.append("fuzzy name match: check")
    return md_inline(flag.person_name) + (f" ({', '.join(extra)})" if extra else "")


def _quorum_note(finding: ItemFinding) -> str:
    if not finding.inquorate:
        return ""
    return (
        f"INQUORATE: {finding.voting_left} voting member(s) left after withdrawals, "
        f"quorum is {finding.quorum}"
    )


def check_markdown(result: CheckResult, meeting: Meeting, zone: str) -> str:
    lines = [
        f"# Conflicts check: {md_inline(meeting.title)}",
        "",
        f"{local_time(meeting.start, zone)}",
        "",
    ]
    for finding in result.items:
        lines.append(
            f"## Item {md_inline(finding.item)}: {md_inline(finding.title)} ({finding.kind.value})"
        )
        lines.append("")
        note = _quorum_note(finding)
        if note:
            lines += [f"**{note}**", ""]
        if not finding.flags:
            lines += ["No declarations expected.", ""]
            continue
        for flag in finding.flags:
            lines.append(f"- **{_who(flag)}**: {ACTION_WORDS[flag.action]}")
            lines.extend(f"  - {md_inline(p.text)}" for p in flag.paths)
        lines.append("")
    return "\n".join(lines)


def _declarations_block_md(finding: ItemFinding) -> list[str]:
    lines = ["> **Declarations expected**", ">"]
    note = _quorum_note(finding)
    if note:
        lines += [f"> **{note}**", ">"]
    if not finding.flags:
        return [*lines, "> None expected."]
    for flag in finding.flags:
        lines.append(f"> - {_who(flag)}: {ACTION_WORDS[flag.action]}")
        lines.extend(f">   - {md_inline(p.text)}" for p in flag.paths)
    return lines


@dataclass(frozen=True)
class PackSource:
    """What a meeting pack is made from: the check, the meeting and its body, names for
    ids, and whose pack it is (``None``: the chair's, with every expected declaration)."""

    result: CheckResult
    meeting: Meeting
    zone: str
    body_name: str
    names: Mapping[str, str]
    for_person: str | None = None


def _excluded(flags: Sequence[Flag], person: str | None) -> bool:
    return any(f.person == person and f.action is Action.EXCLUDE for f in flags)


def pack_markdown(pack: PackSource) -> str:
    """The agenda for the chair (every item's expected declarations) or for one person.

    A person's pack leaves out the papers of items they must be excluded from, and says so;
    it shows only their own expected declarations.
    """
    result, meeting, zone = pack.result, pack.meeting, pack.zone
    names, for_person, body_name = pack.names, pack.for_person, pack.body_name
    findings = {f.item: f for f in result.items}
    heading = f"# {md_inline(body_name)}: {md_inline(meeting.title)}"
    lines = [heading, "", f"**When:** {local_time(meeting.start, zone)}"]
    if meeting.location:
        lines.append(f"**Where:** {md_inline(meeting.location)}")
    if for_person:
        lines.append(f"**Pack for:** {md_inline(names.get(for_person, for_person))}")
    lines.append("")
    for item in meeting.items:
        finding = findings.get(item.number)
        flags = list(finding.flags) if finding else []
        lines.append(f"## {md_inline(item.number)}. {md_inline(item.title)}")
        lines.append("")
        lines.append(f"*{item.kind.value}*" + md_inline(_item_meta(item, names)))
        lines.append("")
        if for_person and _excluded(flags, for_person):
            lines.append(
                "*Papers withheld: you are expected to be excluded from this item "
                "(no papers, not present).*"
            )
            lines.append("")
            continue
        if item.text:
            lines += [item.text.strip(), ""]
        if for_person:
            mine = [f for f in flags if f.person == for_person]
            if mine:
                lines.append(f"> **You are expected to:** {ACTION_WORDS[mine[0].action]}")
                lines.extend(f">   - {md_inline(p.text)}" for p in mine[0].paths)
                lines.append("")
        elif finding is not None:
            lines += [*_declarations_block_md(finding), ""]
    return "\n".join(lines)


def _item_meta(item: AgendaItem, names: Mapping[str, str]) -> str:
    parts = []
    if item.organisations:
        parts.append("names " + ", ".join(names.get(o, o) for o in item.organisations))
    if item.references:
        parts.append("refs " + ", ".join(item.references))
    if item.value is not None:
        parts.append(f"value £{item.value:,.0f}")
    return (" — " + "; ".join(parts)) if parts else ""


def pack_html(pack: PackSource) -> str:
    result, meeting, zone = pack.result, pack.meeting, pack.zone
    names, for_person, body_name = pack.names, pack.for_person, pack.body_name
    e = html.escape
    findings = {f.item: f for f in result.items}
    intro = f"<p><strong>When:</strong> {e(local_time(meeting.start, zone))}"
    if meeting.location:
        intro += f"<br><strong>Where:</strong> {e(meeting.location)}"
    if for_person:
        intro += f"<br><strong>Pack for:</strong> {e(names.get(for_person, for_person))}"
    sections = [("", intro + "</p>")]
    for item in meeting.items:
        finding = findings.get(item.number)
        flags = list(finding.flags) if finding else []
        parts = [f"<p><em>{e(item.kind.value)}</em>{e(_item_meta(item, names))}</p>"]
        if for_person and _excluded(flags, for_person):
            parts.append(
                "<p><em>Papers withheld: you are expected to be excluded from this item "
                "(no papers, not present).</em></p>"
            )
        else:
            if item.text:
                parts.append(f"<p>{e(item.text.strip())}</p>")
            shown = [f for f in flags if f.person == for_person] if for_person else flags
            label = "You are expected to" if for_person else "Declarations expected"
            block = [f"<h3>{label}</h3>"]
            if finding is not None and finding.inquorate and not for_person:
                block.append(f"<p><strong>{e(_quorum_note(finding))}</strong></p>")
            if shown:
                block.append("<ul>")
                for flag in shown:
                    paths = "".join(f"<li>{e(p.text)}</li>" for p in flag.paths)
                    block.append(
                        f"<li>{e(_who(flag))}: {e(ACTION_WORDS[flag.action])}<ul>{paths}</ul></li>"
                    )
                block.append("</ul>")
            elif not for_person:
                block.append("<p>None expected.</p>")
            if shown or not for_person:
                parts.append('<div class="declarations">' + "".join(block) + "</div>")
        sections.append((f"{item.number}. {item.title}", "\n".join(parts)))
    return html_page(f"{body_name}: {meeting.title}", sections)


def check_table_rows(finding: ItemFinding) -> list[dict[str, Any]]:
    return [
        {
            "who": _who(flag),
            "capacity": flag.capacity,
            "action": flag.action.value,
            "why": "\n".join(p.text for p in flag.paths),
        }
        for flag in finding.flags
    ]


def check_html(result: CheckResult, meeting: Meeting, zone: str) -> str:
    sections = [("", f"<p>{html.escape(local_time(meeting.start, zone))}</p>")]
    for finding in result.items:
        note = _quorum_note(finding)
        content = f"<p><strong>{html.escape(note)}</strong></p>" if note else ""
        if finding.flags:
            content += html_table(check_table_rows(finding), TABLE_COLUMNS)
        else:
            content += "<p>No declarations expected.</p>"
        sections.append((f"Item {finding.item}: {finding.title}", content))
    return html_page(f"Conflicts check: {meeting.title}", sections)
