"""A meeting's check as lines for a terminal: flags grouped by person and interest.

Each person with a flag on an item gets one line (the action, who, in what capacity);
beneath it each chain from the person to an interest is shown once ("Priya Nair -> chief
executive of Plym Recovery Trust -> bids for T-2027-014"), and each reason the item
touches it on its own short line ("item 5 names T-2027-014"). Lines are wrapped to the
terminal's width between words only, so an id, a reference or a service-area tag is never
broken; a chain with its reasons takes at most four lines (reasons that do not fit share
the last line).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from coi.domain.findings import CheckResult, Flag, ItemFinding, Path
from coi.domain.model import Meeting

MAX_LINES = 4  # a chain and its reasons, at most, at the terminal's width


@dataclass(frozen=True, slots=True)
class Line:
    """One line to print, and how it should look (a rich style name, or "")."""

    text: str
    style: str = ""


_STYLE = {"exclude": "bold red", "withdraw": "bold red", "no-vote": "bold yellow"}


def check_lines(result: CheckResult, meeting: Meeting, when: str, width: int) -> list[Line]:
    """The whole check, wrapped to ``width`` columns."""
    lines = [Line(f"{meeting.title} — {when}", "bold")]
    for finding in result.items:
        lines.extend(_item_lines(finding, width))
    return lines


def _item_lines(finding: ItemFinding, width: int) -> Iterator[Line]:
    head = f"Item {finding.item}: {finding.title} ({finding.kind.value})"
    if finding.inquorate:
        head += f" INQUORATE: {finding.voting_left} left, quorum {finding.quorum}"
    if not finding.flags:
        yield from _wrapped(f"{head}: no declarations expected", width, "", "    ", "dim")
        return
    yield from _wrapped(head, width, "", "    ", "bold")
    for flag in finding.flags:
        yield from _flag_lines(flag, width)


def _who(flag: Flag) -> str:
    notes = [n for n, on in (("if attending", flag.if_attending),
                             ("fuzzy name match: check it", flag.needs_check)) if on]  # fmt: skip
    who = flag.person_name + (f" ({', '.join(notes)})" if notes else "")
    return f"{flag.action.value.upper()}  {who}, {flag.capacity}"


def _flag_lines(flag: Flag, width: int) -> Iterator[Line]:
    yield from _wrapped(_who(flag), width, "  ", "      ", _STYLE.get(flag.action.value, ""))
    chains: dict[str, list[Path]] = {}
    for path in flag.paths:  # strongest first, so each chain comes where it matters most
        chains.setdefault(path.chain or path.text, []).append(path)
    for chain, paths in chains.items():
        yield from _chain_lines(chain, paths, flag, width)


def _reason(path: Path, flag: Flag) -> str:
    because = path.because or path.text
    if path.score is not None:
        because += f" (score {path.score:.0f})"
    return because if path.action is flag.action else f"{because} [{path.action.value}]"


def _chain_lines(chain: str, paths: list[Path], flag: Flag, width: int) -> Iterator[Line]:
    head = _wrap(chain, width, "    ", "      ")
    reasons = [_wrap(f"· {_reason(p, flag)}", width, "      ", "        ") for p in paths]
    room = MAX_LINES - len(head)
    if sum(len(r) for r in reasons) > room:
        # Keep the first reasons whole while they fit, and put the rest on one last line.
        kept: list[list[str]] = []
        for reason in reasons:
            if sum(len(r) for r in kept) + len(reason) > room - 1:
                break
            kept.append(reason)
        rest = "; ".join(_reason(p, flag) for p in paths[len(kept) :])
        last = _wrap(f"· {rest}", width, "      ", "        ")
        left = room - sum(len(r) for r in kept)
        if len(last) > left:  # still too long: say how many, the JSON has every one
            more = len(paths) - len(kept)
            last = [f"      · and {more} more reason(s): see --format json"]
        reasons = [*kept, last]
    for text in head:
        yield Line(text)
    for reason in reasons:
        for text in reason:
            yield Line(text, "dim")


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, 40),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first]


def _wrapped(text: str, width: int, first: str, rest: str, style: str) -> Iterator[Line]:
    for line in _wrap(text, width, first, rest):
        yield Line(line, style)
