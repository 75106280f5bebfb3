"""How a flag puts an interest into words: the full sentence of a path ("Harbour bids for
tender T-2027-021 from NHS Plymouth") and the short phrase a terminal shows once per
chain ("bids for T-2027-021"). A withheld interest is never described in either.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from coi.domain.model import Interest
from coi.domain.register_index import RegisterIndex
from coi.domain.words import InterestKind


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def interest_sentence(interest: Interest, holder: str, index: RegisterIndex) -> str:
    """The interest as a flag's sentence says it: "Harbour bids for tender T-2027-021 from
    NHS Plymouth"; a withheld one without its details."""
    cps = _join([index.org_name(c) for c in interest.counterparties])
    refs = _join(list(interest.references))
    areas = _join(list(interest.service_areas))
    kind = interest.kind
    if kind is InterestKind.BIDDING_FOR_TENDER:
        text = f"bids for tender {refs}" if refs else "bids for a tender"
        text += f" from {cps}" if cps else ""
    elif kind is InterestKind.HOLDS_CONTRACT:
        text = f"holds contract {refs}" if refs else "holds a contract"
        text += f" with {cps}" if cps else ""
    elif kind is InterestKind.PROVIDES_SERVICE:
        text = f"provides {areas} services" if areas else "provides services"
        text += f" for {cps}" if cps else ""
    else:
        verb = {
            InterestKind.EMPLOYMENT: "is employed by",
            InterestKind.TRUSTEESHIP: "is a trustee of",
            InterestKind.DIRECTORSHIP: "is a director of",
            InterestKind.SHAREHOLDING: "holds shares in",
            InterestKind.MEMBERSHIP: "is a member of",
            InterestKind.GIFT_HOSPITALITY: "received gifts or hospitality from",
        }.get(kind)
        if verb and cps:
            text = f"{verb} {cps}"
        else:
            noun = {InterestKind.FAMILY: "a family interest"}.get(kind, f"a {kind} interest")
            text = f"has {noun}" + (f" in {cps}" if cps else "")
            if not interest.publish:
                # Flags end up in packs and minutes: keep withheld details out of them.
                text += " (details withheld from publication)"
            elif interest.description:
                text += f' ("{interest.description}")'
    return f"{holder} {text}"


def interest_phrase(interest: Interest, index: RegisterIndex) -> str:
    """The interest in a few words, for the chain a terminal shows once per interest:
    "bids for T-2027-014", "holds contract C-2023-017", "family interest in Harbour"."""
    refs = ", ".join(interest.references)
    cps = _join([index.org_name(c) for c in interest.counterparties])
    kind = interest.kind
    if kind is InterestKind.BIDDING_FOR_TENDER:
        return f"bids for {refs}" if refs else f"bids for a tender from {cps or 'a buyer'}"
    if kind is InterestKind.HOLDS_CONTRACT:
        return f"holds contract {refs}" if refs else f"holds a contract with {cps or 'a buyer'}"
    if kind is InterestKind.PROVIDES_SERVICE:
        return f"provides {_join(list(interest.service_areas)) or 'services'}"
    text = f"{kind.value.replace('-', ' ')} interest" + (f" in {cps}" if cps else "")
    if not interest.publish:
        return text + " (details withheld)"
    if not cps and interest.description:  # nothing else says what it is
        short = textwrap.shorten(interest.description, 60, placeholder="...")
        text += f": {short}"
    return text
